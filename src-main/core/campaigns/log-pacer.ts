import type { Db } from '../db/open';

const FILL = 0.7;

/**
 * Keeps SQLite's write-ahead log short while a campaign writes a whole clinic's messages.
 *
 * SQLite copies the log back into the database inside whichever commit takes it past
 * `wal_autocheckpoint` pages (1,000): 15-30 ms on top of that enqueue chunk, while the desk's calls
 * wait for both. Instead the enqueue runs a PASSIVE checkpoint in a turn of the event loop of its
 * own once the chunks written since the last one have filled about 70% of that log. How many pages
 * they fill is judged from the last checkpoint, both per row and per chunk, whichever says sooner:
 * an index in address order (a real clinic's numbers) has each commit rewrite pages all over it,
 * so there the pages follow the number of commits more than the number of rows. So there are
 * about as many checkpoints as SQLite would run, each 5-15 ms, none inside a chunk. A no-op
 * outside WAL mode; PASSIVE never waits for readers.
 */
export function createLogPacer(db: Db) {
  const limit = Number(db.pragma('wal_autocheckpoint', { simple: true })) || 1000;
  let rows = 0;
  let chunks = 0;
  // Unknown until the first checkpoint says how many log pages those rows and chunks took.
  let pagesPerRow = Infinity;
  let pagesPerChunk = Infinity;

  return {
    /** A chunk of `n` rows was committed. */
    wrote(n: number) {
      rows += n;
      chunks++;
    },
    /** The chunks since the last checkpoint have filled about 70% of the log. */
    due: () => rows > 0 && Math.max(rows * pagesPerRow, chunks * pagesPerChunk) >= limit * FILL,
    /** Call it between chunks, never inside one. */
    checkpoint() {
      const [r] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
      if (!r || r.log < 0) {
        // Not in WAL mode (a network share): nothing to pace.
        pagesPerRow = pagesPerChunk = 0;
      } else if (r.log > 0) {
        pagesPerRow = r.log / rows;
        pagesPerChunk = r.log / chunks;
      }
      rows = chunks = 0;
    },
  };
}
