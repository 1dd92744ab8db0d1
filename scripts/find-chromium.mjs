#!/usr/bin/env node
// Finds a Chromium executable for Playwright.
// Order: $CHROMIUM_PATH / $PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH, Playwright's own downloaded
// browser, chromium / chromium-browser / google-chrome on PATH; as a last resort, when running
// as root on Debian, `apt-get install -y chromium`, then look again.
//
//   import { findChromium } from './scripts/find-chromium.mjs';
//   node scripts/find-chromium.mjs --check   # prints the path, or exits 1 saying what to install
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

const ENV_VARS = ['CHROMIUM_PATH', 'PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH'];
const PATH_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
const INSTALL_HINT =
  'No Chromium found: install it (Debian/Ubuntu: `sudo apt-get install -y chromium`), run `npx playwright install chromium`, or set CHROMIUM_PATH to a Chromium or Chrome executable.';

function isExecutable(path) {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function fromEnv() {
  for (const name of ENV_VARS) {
    const value = process.env[name];
    if (!value) continue;
    const path = resolve(value);
    if (isExecutable(path)) return { path, source: `$${name}` };
    throw new Error(`${name} is set to ${value}, but that is not an executable file.`);
  }
  return null;
}

function fromPlaywright() {
  for (const pkg of ['playwright-core', '@playwright/test', 'playwright']) {
    try {
      const { chromium } = require(pkg);
      const path = chromium.executablePath();
      if (path && isExecutable(path)) return { path, source: `Playwright's browser (${pkg})` };
    } catch {
      // package not installed, or no browser registered for this platform
    }
  }
  return null;
}

function fromPath() {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of PATH_NAMES) {
    for (const dir of dirs) {
      const path = join(dir, name);
      if (isExecutable(path)) return { path, source: `${name} on PATH` };
    }
  }
  return null;
}

function lookup() {
  return fromEnv() ?? fromPlaywright() ?? fromPath();
}

function canAptInstall() {
  return (
    process.platform === 'linux' &&
    existsSync('/etc/debian_version') &&
    typeof process.getuid === 'function' &&
    process.getuid() === 0
  );
}

function aptInstall() {
  console.error('find-chromium: no Chromium found; installing Debian chromium with apt-get ...');
  const result = spawnSync('sh', ['-c', 'apt-get update && apt-get install -y chromium'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return result.status === 0;
}

let cached;

/**
 * Returns `{ path, source }` for a usable Chromium, installing Debian's chromium with apt-get
 * when running as root on Debian and nothing else is found. Throws with an install hint otherwise.
 */
export function findChromiumInfo({ install = true } = {}) {
  if (cached) return cached;
  let found = lookup();
  if (!found && install && canAptInstall() && aptInstall()) found = lookup();
  if (!found) throw new Error(INSTALL_HINT);
  cached = found;
  return found;
}

/** Returns the path of a Chromium executable (see findChromiumInfo). */
export function findChromium(options) {
  return findChromiumInfo(options).path;
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  if (!process.argv.includes('--check')) {
    console.error('usage: node scripts/find-chromium.mjs --check');
    process.exit(2);
  }
  try {
    const { path, source } = findChromiumInfo();
    console.log(`Using Chromium ${path} (${source}).`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
