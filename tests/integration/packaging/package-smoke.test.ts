/**
 * Packages the app with the real electron-builder and electron-builder.yml, the way the
 * installers are built, but into an unpacked folder (`--linux dir`) and with a stand-in
 * Electron distribution, since the Electron binary cannot be downloaded here:
 *
 *   PAWLINE_SKIP_NATIVE_REBUILD=1 npx electron-builder --linux dir \
 *     -c.electronDist=<stand-in> -c.npmRebuild=false -c.directories.output=<out>
 */
import { listPackage, extractFile, statFile } from '@electron/asar';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIN_EXTERNALS } from '../../../scripts/main-externals.mjs';

const root = path.resolve(__dirname, '../../..');
const require = createRequire(import.meta.url);
const electronVersion: string = JSON.parse(readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')).version;

let tmp: string;
let resources: string;
let asarFile: string;
let entries: Set<string>;
let builderLog: string;

function ensureBuilt() {
  if (!existsSync(path.join(root, 'dist-renderer/index.html'))) execFileSync(process.execPath, [require.resolve('vite/bin/vite.js'), 'build'], { cwd: root, stdio: 'pipe' });
  if (!existsSync(path.join(root, 'dist-main/main.cjs')) || !existsSync(path.join(root, 'dist-main/preload.cjs')))
    execFileSync(process.execPath, ['scripts/build-main.mjs'], { cwd: root, stdio: 'pipe' });
}

/** What electron-builder needs from an Electron dist: the executable, `version`, and `locales/` (pruned by electronLanguages). */
function standInElectron(dir: string) {
  mkdirSync(path.join(dir, 'locales'), { recursive: true });
  writeFileSync(path.join(dir, 'electron'), '#!/bin/sh\necho "stand-in for the Electron binary"\n');
  chmodSync(path.join(dir, 'electron'), 0o755);
  writeFileSync(path.join(dir, 'version'), electronVersion);
  for (const l of ['en-US', 'fr', 'de', 'ja']) writeFileSync(path.join(dir, 'locales', `${l}.pak`), 'stand-in');
}

beforeAll(() => {
  ensureBuilt();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'pawline-pack-'));
  const dist = path.join(tmp, 'electron-dist'); // must not contain the output folder: it is copied whole
  standInElectron(dist);
  const res = spawnSync(
    process.execPath,
    [require.resolve('electron-builder/cli.js'), '--linux', 'dir', `-c.electronDist=${dist}`, '-c.npmRebuild=false', `-c.directories.output=${path.join(tmp, 'out')}`],
    { cwd: root, env: { ...process.env, PAWLINE_SKIP_NATIVE_REBUILD: '1', CI: '1' }, encoding: 'utf8', timeout: 85_000 },
  );
  builderLog = `${res.stdout}\n${res.stderr}`;
  if (res.status !== 0) throw new Error(`electron-builder failed (${res.status ?? res.signal}):\n${builderLog.slice(-4000)}`);
  resources = path.join(tmp, 'out', 'linux-unpacked', 'resources');
  asarFile = path.join(resources, 'app.asar');
  entries = new Set(listPackage(asarFile, { isPack: false }).map((e) => e.replaceAll('\\', '/')));
}, 90_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('electron-builder --linux dir with the project config', () => {
  it('ran our beforePack hook, which honoured PAWLINE_SKIP_NATIVE_REBUILD', () => {
    expect(builderLog).toContain('PAWLINE_SKIP_NATIVE_REBUILD=1');
    expect(builderLog).not.toContain('rebuilding better-sqlite3');
  });

  it('puts the built main, preload and renderer into resources/app.asar', () => {
    expect(existsSync(asarFile)).toBe(true);
    for (const f of ['/dist-main/main.cjs', '/dist-main/preload.cjs', '/dist-renderer/index.html', '/package.json', '/resources/icons/icon.ico', '/resources/icons/tray.png'])
      expect(entries, f).toContain(f);
    expect([...entries].filter((e) => e.endsWith('.map'))).toEqual([]);
    // The packaged files are the ones just built, byte for byte.
    expect(extractFile(asarFile, 'dist-main/preload.cjs').equals(readFileSync(path.join(root, 'dist-main/preload.cjs')))).toBe(true);
  });

  it('has a package.json whose main points at the bundled entry', () => {
    const pkg = JSON.parse(extractFile(asarFile, 'package.json').toString('utf8'));
    expect(pkg.main).toBe('dist-main/main.cjs');
    expect(entries).toContain('/' + pkg.main);
  });

  it('contains every asset index.html loads, by relative path (loadFile from file://)', () => {
    const html = extractFile(asarFile, 'dist-renderer/index.html').toString('utf8');
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref.startsWith('./'), ref).toBe(true);
      expect(entries, ref).toContain('/dist-renderer/' + ref.slice(2));
    }
  });

  it('unpacks better_sqlite3.node next to the asar, and only that', () => {
    const rel = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
    const unpacked = path.join(resources, 'app.asar.unpacked', rel);
    expect(existsSync(unpacked)).toBe(true);
    expect(readFileSync(unpacked).equals(readFileSync(path.join(root, rel)))).toBe(true);
    expect((statFile(asarFile, rel) as { unpacked?: boolean }).unpacked).toBe(true);
    // Sources and compiler leftovers stay out.
    expect([...entries].some((e) => e.startsWith('/node_modules/better-sqlite3/deps/'))).toBe(false);
  });

  it('ships every package the main bundle loads at run time, with all its dependencies', () => {
    const missing: string[] = [];
    const seen = new Set<string>();
    const visit = (name: string, fromDir: string, inAsarFrom: string) => {
      // Resolve like Node does: nearest node_modules upwards, in the project and in the asar alike.
      let dir = fromDir;
      let asarDir = inAsarFrom;
      for (;;) {
        const pj = path.join(dir, 'node_modules', name, 'package.json');
        if (existsSync(pj)) {
          const asarPj = `${asarDir}/node_modules/${name}/package.json`.replace(/^\/+/, '/');
          if (seen.has(asarPj)) return;
          seen.add(asarPj);
          if (!entries.has(asarPj)) missing.push(asarPj);
          const pkg = JSON.parse(readFileSync(pj, 'utf8'));
          for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) visit(dep, path.dirname(pj), `${asarDir}/node_modules/${name}`);
          return;
        }
        if (dir === root) return; // not installed (optional dependency)
        dir = path.dirname(path.dirname(dir));
        asarDir = path.posix.dirname(path.posix.dirname(asarDir));
      }
    };
    for (const ext of MAIN_EXTERNALS.filter((e) => e !== 'electron')) visit(ext, root, '');
    expect(seen.size).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });

  it('leaves renderer-only and development packages out of the asar', () => {
    for (const p of ['@fluentui', 'react', 'react-dom', 'recharts', 'esbuild', 'tsx', 'vite', 'electron', 'typescript', 'vitest'])
      expect([...entries].some((e) => e.startsWith(`/node_modules/${p}/`)), p).toBe(false);
  });

  it('renames the executable and keeps only the configured Chromium locales', () => {
    const app = path.join(tmp, 'out', 'linux-unpacked');
    expect(existsSync(path.join(app, 'pawline'))).toBe(true);
    expect(existsSync(path.join(app, 'locales', 'en-US.pak'))).toBe(true);
    expect(existsSync(path.join(app, 'locales', 'fr.pak'))).toBe(true);
    expect(existsSync(path.join(app, 'locales', 'de.pak'))).toBe(false);
  });
});
