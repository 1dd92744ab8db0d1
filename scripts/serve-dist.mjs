#!/usr/bin/env node
/**
 * `npm run serve:dist [-- --base /course/elections/ --port 4180 --dir dist]`: serves the
 * built site the way a plain static host does (a school web server, GitHub Pages), under
 * a sub-path, so you can try what students will get before copying dist/ anywhere.
 *
 * - Files under `base` come from `dir`; a folder answers with its index.html; `base`
 *   without its trailing slash redirects to it (as static hosts do), and so does `/`.
 * - Anything else is a 404: no fallback to index.html, so a URL that only works on this
 *   server shows up here as broken.
 * - No dependencies: Node's http module only. Also used by the end-to-end tests
 *   (`serveDist()` below), which start and stop servers to go offline.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** `/a/b` -> `/a/b/`; always starts and ends with a slash. */
export function normaliseBase(base) {
  const parts = String(base ?? '/')
    .split('/')
    .filter(Boolean);
  return parts.length ? `/${parts.join('/')}/` : '/';
}

/**
 * Starts a static server for `dir` under `base`. Resolves once it listens, with its URL
 * (ending in `base`) and `close()`, which also drops open keep-alive connections.
 */
export function serveDist({
  dir = 'dist',
  base = '/course/elections/',
  port = 0,
  host = '127.0.0.1',
} = {}) {
  const root = resolve(dir);
  const prefix = normaliseBase(base);
  const server = createServer((req, res) => {
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'Method not allowed\n');
    const url = new URL(req.url ?? '/', 'http://localhost');
    let path;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return send(400, 'Bad request\n');
    }
    if (path === '/' || `${path}/` === prefix)
      return send(301, `Moved to ${prefix}\n`, { Location: `${prefix}${url.search}` });
    if (!path.startsWith(prefix)) return send(404, 'Not found\n');
    let file = resolve(root, `.${sep}${path.slice(prefix.length)}`);
    if (file !== root && !file.startsWith(root + sep)) return send(404, 'Not found\n');
    let stat = existsSync(file) ? statSync(file) : null;
    if (stat?.isDirectory()) {
      if (!path.endsWith('/')) return send(301, 'Moved\n', { Location: `${path}/${url.search}` });
      file = join(file, 'index.html');
      stat = existsSync(file) ? statSync(file) : null;
    }
    if (!stat?.isFile()) return send(404, 'Not found\n');
    const type = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
    // hashed build assets never change; everything else is checked on every load
    const hashed = /\/assets\/[^/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/.test(file.split(sep).join('/'));
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Length': stat.size,
      'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      resolvePromise({
        url: `http://${host}:${actual}${prefix}`,
        port: actual,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

function parseArgs(argv) {
  const out = { dir: 'dist', base: process.env.BASE_PATH || '/course/elections/', port: 4180 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--dir') out.dir = value();
    else if (flag === '--base') out.base = value();
    else if (flag === '--port') out.port = Number(value());
    else if (flag === '--host') out.host = value();
    else if (flag === '--help' || flag === '-h') out.help = true;
    else throw new Error(`unknown option ${argv[i]} (use --dir, --base, --port, --host)`);
  }
  if (!Number.isInteger(out.port) || out.port < 0 || out.port > 65535)
    throw new Error('--port must be a whole number from 0 to 65535');
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const opts = parseArgs(process.argv.slice(2));
    if (opts.help) {
      console.log(
        'usage: npm run serve:dist [-- --base /course/elections/ --port 4180 --dir dist --host 127.0.0.1]',
      );
      process.exit(0);
    }
    if (!existsSync(join(resolve(opts.dir), 'index.html'))) {
      console.error(`${opts.dir}/index.html is missing: run \`npm run build\` first.`);
      process.exit(1);
    }
    const { url } = await serveDist(opts);
    console.log(`Serving ${opts.dir}/ at ${url} (Ctrl+C stops)`);
  } catch (e) {
    console.error(`serve:dist: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(2);
  }
}
