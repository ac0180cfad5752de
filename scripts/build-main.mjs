// Bundles the Electron main process and the preload into dist-main/ (CommonJS, as Electron
// loads them). Packages that cannot survive bundling stay external and are loaded from the
// packaged node_modules at run time:
//   electron        provided by the runtime
//   better-sqlite3  native addon (.node), unpacked from the asar and rebuilt for Electron
//   pdfkit          reads its font metrics from files next to its own sources (__dirname)
//   twilio          bundles fine but is 7.8 MB of REST classes it loads lazily; inlined, every
//                   start would parse all of it, and the packaged node_modules carry it anyway
//   bufferutil, utf-8-validate  optional native speed-ups that ws tries to require
// Everything else (nodemailer, zod, luxon, chokidar, ...) is bundled. ESM-only packages such
// as chokidar must stay bundled: Node 20 cannot require() them.
// The list lives in main-externals.mjs. tests/integration/packaging/main-bundle.test.ts runs
// the bundle under Node with a fake 'electron' to prove it loads and answers the API.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAIN_EXTERNALS } from './main-externals.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist-main');

rmSync(outdir, { recursive: true, force: true });

const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'cjs',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
};

const mainResult = await build({
  ...common,
  entryPoints: { main: 'src-main/electron/main.ts' },
  outdir,
  outExtension: { '.js': '.cjs' },
  platform: 'node',
  target: 'node20',
  external: MAIN_EXTERNALS,
  // Core is ESM source; in a CJS bundle import.meta is empty, so give it this file's URL.
  banner: { js: "const __pawlineImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__pawlineImportMetaUrl' },
});

// The core's threads (src-main/core/shared/threads.ts starts them from beside main.cjs).
await build({
  ...common,
  entryPoints: {
    'pims-writer': 'src-main/core/pims/run/writer-thread.ts',
    'pims-reader': 'src-main/core/pims/run/reader-thread.ts',
    'campaign-writer': 'src-main/core/campaigns/writer-thread.ts',
  },
  outdir,
  outExtension: { '.js': '.cjs' },
  platform: 'node',
  target: 'node20',
  external: MAIN_EXTERNALS,
});

// The preload runs in a sandboxed renderer: only a small 'electron' subset can be required,
// no Node built-ins. platform 'browser' makes any accidental Node import fail the build.
await build({
  ...common,
  entryPoints: { preload: 'src-main/electron/preload.ts' },
  outdir,
  outExtension: { '.js': '.cjs' },
  platform: 'browser',
  target: 'chrome130',
  external: ['electron'],
});

const preload = readFileSync(path.join(outdir, 'preload.cjs'), 'utf8');
const requires = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
const stray = requires.filter((r) => r !== 'electron');
if (stray.length) {
  console.error(`preload.cjs requires ${stray.join(', ')}; a sandboxed preload may only require 'electron'.`);
  process.exit(1);
}

const mainBytes = Object.values(mainResult.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(`dist-main/main.cjs, preload.cjs and the import threads built (main ${Math.round(mainBytes / 1024)} KiB incl. maps).`);
