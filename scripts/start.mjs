// `npm start`: the desktop app when the Electron binary is installed, otherwise the same app
// in the browser through the Node host — so the command always opens Pawline. Extra
// arguments (e.g. --data-dir=...) are passed through.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

function electronBinary() {
  try {
    // The electron package exports the binary's path, and throws when the download never happened.
    const p = require('electron');
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

function run(cmd, argv, env = process.env) {
  const child = spawn(cmd, argv, { cwd: root, stdio: 'inherit', env });
  const forward = (sig) => () => child.kill(sig);
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  child.on('error', (e) => {
    console.error(`[pawline] Could not start ${path.basename(cmd)}: ${e.message}`);
    process.exit(1);
  });
}

const electron = electronBinary();
if (electron) {
  // Set by some tools (VS Code tasks); it would make Electron behave as plain Node.
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  run(electron, [root, ...args], env);
} else {
  console.log('[pawline] The Electron desktop runtime is not installed on this machine (its download needs the internet).');
  console.log('[pawline] Starting Pawline in your browser instead. To get the desktop app later, go online and run:');
  console.log('[pawline]   node scripts/install-electron.mjs\n');
  run(process.execPath, [require.resolve('tsx/cli'), path.join('src-main', 'host-web', 'cli.ts'), ...args]);
}
