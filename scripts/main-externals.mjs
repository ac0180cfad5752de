// Packages the Electron main bundle loads from node_modules at run time instead of inlining
// them (see build-main.mjs for why each one). The packaging smoke test checks that each of
// these, with all its dependencies, is inside the packaged app.asar.
export const MAIN_EXTERNALS = ['electron', 'better-sqlite3', 'pdfkit', 'twilio', 'bufferutil', 'utf-8-validate'];
