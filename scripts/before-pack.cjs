// electron-builder beforePack hook: rebuild better-sqlite3 for the Electron version and arch
// being packaged, right before electron-builder copies node_modules into the app. Never done
// in postinstall, so development and tests keep the Node build (see DESIGN.md).
// PAWLINE_SKIP_NATIVE_REBUILD=1 skips it (the packaging smoke test, which has no Electron headers).
// The Node build is saved first; scripts/after-pack.cjs restores it once the files are copied.
'use strict';
const { copyFileSync, existsSync, mkdirSync, rmSync } = require('node:fs');
const path = require('node:path');
const { Arch } = require('electron-builder');

const ADDON = ['node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'];
const BACKUP = ['node_modules', '.cache', 'pawline-native', 'better_sqlite3.node'];

module.exports = async function beforePack(context) {
  if (process.env.PAWLINE_SKIP_NATIVE_REBUILD === '1') {
    console.log('  • pawline: PAWLINE_SKIP_NATIVE_REBUILD=1, packaging better-sqlite3 as built (Node ABI)');
    return;
  }
  const projectDir = context.packager.projectDir;
  const electronVersion = context.packager.info.framework.version;
  const arch = Arch[context.arch];
  const platform = context.electronPlatformName;
  const addon = path.join(projectDir, ...ADDON);
  const backup = path.join(projectDir, ...BACKUP);
  if (existsSync(addon) && !existsSync(backup)) {
    mkdirSync(path.dirname(backup), { recursive: true });
    copyFileSync(addon, backup);
  }
  console.log(`  • pawline: rebuilding better-sqlite3 for Electron ${electronVersion} (${platform}-${arch})`);
  // @electron/rebuild is ESM-only; it prefers better-sqlite3's prebuilt Electron binaries
  // (prebuild-install, which also serves other platforms) and compiles only when none fits.
  const { rebuild } = await import('@electron/rebuild');
  try {
    await rebuild({
      buildPath: projectDir,
      projectRootPath: projectDir,
      electronVersion,
      arch,
      platform,
      onlyModules: ['better-sqlite3'],
      force: true,
      mode: 'sequential',
    });
  } catch (e) {
    // A failed rebuild (offline: no headers, no prebuilt) may have wiped build/; put the Node
    // build back so development and tests still work, then fail the packaging.
    if (existsSync(backup)) {
      mkdirSync(path.dirname(addon), { recursive: true });
      copyFileSync(backup, addon);
      rmSync(backup);
    }
    throw new Error(`Rebuilding better-sqlite3 for Electron ${electronVersion} (${platform}-${arch}) failed: ${e instanceof Error ? e.message : e}`);
  }
};
