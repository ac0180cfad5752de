// electron-builder afterPack hook: the app's files are copied, so put the Node build of
// better-sqlite3 (saved by before-pack.cjs) back, and `npm test` keeps working after a dist build.
'use strict';
const { copyFileSync, existsSync, rmSync } = require('node:fs');
const path = require('node:path');

module.exports = async function afterPack(context) {
  const projectDir = context.packager.projectDir;
  const backup = path.join(projectDir, 'node_modules', '.cache', 'pawline-native', 'better_sqlite3.node');
  if (!existsSync(backup)) return;
  copyFileSync(backup, path.join(projectDir, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'));
  rmSync(backup);
  console.log('  • pawline: restored the Node build of better-sqlite3 for development and tests');
};
