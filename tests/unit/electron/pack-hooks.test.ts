/** The electron-builder hooks around the better-sqlite3 rebuild, without running a rebuild. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

const require = createRequire(import.meta.url);
type Hook = (ctx: unknown) => Promise<void>;
const beforePack: Hook = require('../../../scripts/before-pack.cjs');
const afterPack: Hook = require('../../../scripts/after-pack.cjs');

const dirs: string[] = [];
afterEach(() => {
  vi.unstubAllEnvs();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function project() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pawline-hooks-'));
  dirs.push(dir);
  const release = path.join(dir, 'node_modules/better-sqlite3/build/Release');
  mkdirSync(release, { recursive: true });
  writeFileSync(path.join(release, 'better_sqlite3.node'), 'node-abi-build');
  return { dir, addon: path.join(release, 'better_sqlite3.node'), backup: path.join(dir, 'node_modules/.cache/pawline-native/better_sqlite3.node') };
}
const ctx = (dir: string) => ({ packager: { projectDir: dir, info: { framework: { version: '41.7.1' } } }, arch: 1, electronPlatformName: 'linux' });

describe('before-pack / after-pack', () => {
  it('skip the rebuild and touch nothing when PAWLINE_SKIP_NATIVE_REBUILD=1', async () => {
    vi.stubEnv('PAWLINE_SKIP_NATIVE_REBUILD', '1');
    const p = project();
    await beforePack(ctx(p.dir));
    expect(existsSync(p.backup)).toBe(false);
    await afterPack(ctx(p.dir));
    expect(readFileSync(p.addon, 'utf8')).toBe('node-abi-build');
  });

  it('after-pack puts the saved Node build back once the app files are copied', async () => {
    const p = project();
    mkdirSync(path.dirname(p.backup), { recursive: true });
    writeFileSync(p.backup, 'node-abi-build');
    writeFileSync(p.addon, 'electron-abi-build'); // what the rebuild left
    await afterPack(ctx(p.dir));
    expect(readFileSync(p.addon, 'utf8')).toBe('node-abi-build');
    expect(existsSync(p.backup)).toBe(false);
  });
});
