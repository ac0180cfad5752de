// Electron's own install script is denied in package.json (allowScripts) because it
// downloads the binary from GitHub, which fails on offline or locked-down machines and
// would fail the whole install. We run it here instead, so a failed download only warns:
// the Node host (npm run start:web) and every test work without the binary.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
let installer;
try {
  installer = path.join(path.dirname(require.resolve('electron/package.json')), 'install.js');
} catch {
  process.exit(0); // production install without devDependencies
}
if (!existsSync(installer) || process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) process.exit(0);
const res = spawnSync(process.execPath, [installer], { stdio: 'inherit', timeout: 180_000 });
if (res.status !== 0) {
  console.warn('\n[pawline] The Electron binary could not be downloaded (offline?).');
  console.warn('[pawline] Everything else is installed. Use `npm run start:web` to open Pawline in a browser,');
  console.warn('[pawline] or re-run `node scripts/install-electron.mjs` when the machine is online.\n');
}
process.exit(0);
