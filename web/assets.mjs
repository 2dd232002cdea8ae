// Makes the browser assets, the one way both the scripts and a wheel build do it: `npm ci`
// (whose "prepare" script is the build) when node_modules is missing or older than the lock
// file, otherwise the build alone (esbuild, seconds).
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const modified = (path) => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
};

const installed = modified(here('node_modules/.package-lock.json'));
const stale = installed === null || modified(here('package-lock.json')) > installed;
const args = stale ? ['ci', '--no-audit', '--no-fund'] : ['run', '--silent', 'build'];
const run = spawnSync('npm', args, { cwd: here('.'), stdio: 'inherit' });
process.exit(run.status ?? 1);
