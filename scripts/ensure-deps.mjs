#!/usr/bin/env node
// Runs before `npm start` / `npm test`: checks the Node version and installs dependencies
// with `npm ci` when node_modules is missing or older than package-lock.json.
// Must stay fast (a few stat calls) when everything is already in place.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MIN = [20, 19, 0];

const [major, minor, patch] = process.versions.node.split('.').map(Number);
const current = [major, minor, patch];
const tooOld =
  current[0] !== MIN[0]
    ? current[0] < MIN[0]
    : current[1] !== MIN[1]
      ? current[1] < MIN[1]
      : current[2] < MIN[2];
if (tooOld) {
  console.error(
    `This project needs Node.js ${MIN.join('.')} or newer (you have ${process.versions.node}); please install a current Node.js LTS.`,
  );
  process.exit(1);
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

const lock = mtime(join(root, 'package-lock.json'));
const installed = mtime(join(root, 'node_modules', '.package-lock.json'));

let reason = null;
if (mtime(join(root, 'node_modules')) === null) reason = 'node_modules is missing';
else if (installed === null) reason = 'node_modules/.package-lock.json is missing';
else if (lock !== null && lock > installed) reason = 'package-lock.json is newer than node_modules';

if (reason) {
  console.error(`ensure-deps: ${reason}; running npm ci ...`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci'], {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.error) {
    console.error(`ensure-deps: could not run npm ci: ${result.error.message}`);
    process.exit(1);
  }
  process.exit(result.status ?? 1);
}
