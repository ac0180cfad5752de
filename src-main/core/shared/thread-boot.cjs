// Development only (tsx, vitest): see threads.ts. The packaged app never loads this file.
const { workerData } = require('node:worker_threads');
require('tsx/cjs/api').register();
require(workerData.entry);
