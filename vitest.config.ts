import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/bench/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Native SQLite + child processes: forks isolate better-sqlite3 handles per file.
    pool: 'forks',
    maxWorkers: 2,
  },
});
