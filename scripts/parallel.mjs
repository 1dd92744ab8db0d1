#!/usr/bin/env node
// Runs npm scripts side by side and prints each one's output whole once it ends, so the
// static checks (typecheck, eslint, prettier) share the cores instead of queueing:
//   node scripts/parallel.mjs typecheck lint:eslint lint:format
// Exits with the first failing script's code, after all have ended.
import { spawn } from 'node:child_process';

const names = process.argv.slice(2);
if (names.length === 0) {
  console.error('usage: node scripts/parallel.mjs <npm script>...');
  process.exit(2);
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const results = await Promise.all(
  names.map(
    (name) =>
      new Promise((resolve) => {
        const t0 = Date.now();
        const child = spawn(npm, ['run', '--silent', name], { stdio: ['ignore', 'pipe', 'pipe'] });
        const out = [];
        child.stdout.on('data', (d) => out.push(d));
        child.stderr.on('data', (d) => out.push(d));
        child.on('error', (e) => out.push(Buffer.from(String(e))));
        child.on('close', (code) => {
          const s = ((Date.now() - t0) / 1000).toFixed(1);
          process.stdout.write(
            `\n> ${name} (${code === 0 ? 'ok' : `failed, code ${code}`}, ${s} s)\n`,
          );
          process.stdout.write(Buffer.concat(out));
          resolve(code ?? 1);
        });
      }),
  ),
);
const failed = results.find((c) => c !== 0);
process.exit(failed ?? 0);
