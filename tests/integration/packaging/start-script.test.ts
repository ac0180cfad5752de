/** `npm start` (scripts/start.mjs) must always give the user an app: Electron when present, else the web host. */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'pawline-start-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const baseEnv = () => {
  const env = { ...process.env };
  delete env.ELECTRON_OVERRIDE_DIST_PATH;
  return env;
};

describe('scripts/start.mjs', () => {
  it('launches the Electron binary on the project when it is installed', () => {
    // The electron package honours ELECTRON_OVERRIDE_DIST_PATH when resolving its binary.
    const fake = path.join(tmp, 'electron');
    writeFileSync(fake, `#!/bin/sh\necho "ELECTRON-ARGS $@"\necho "RUN_AS_NODE=\${ELECTRON_RUN_AS_NODE:-unset}"\nexit 7\n`);
    chmodSync(fake, 0o755);
    const res = spawnSync(process.execPath, ['scripts/start.mjs', '--data-dir=/tmp/x'], {
      cwd: root,
      env: { ...baseEnv(), ELECTRON_OVERRIDE_DIST_PATH: tmp, ELECTRON_RUN_AS_NODE: '1' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(res.stdout).toContain(`ELECTRON-ARGS ${root} --data-dir=/tmp/x`);
    expect(res.stdout).toContain('RUN_AS_NODE=unset');
    expect(res.status).toBe(7); // the app's exit code is passed on
  });

  it('falls back to the web host with a clear message when Electron is missing', async () => {
    const child = spawn(process.execPath, ['scripts/start.mjs', `--data-dir=${path.join(tmp, 'data')}`, '--port=0'], { cwd: root, env: baseEnv() });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (out += String(d)));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', () => /#token=/.test(out) && resolve());
        child.on('exit', () => reject(new Error(`start.mjs exited early:\n${out}`)));
      });
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    expect(out).toContain('Electron desktop runtime is not installed');
    expect(out).toMatch(/http:\/\/127\.0\.0\.1:\d+\/#token=/);
  }, 40_000);
});
