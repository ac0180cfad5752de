/**
 * Which process an import run belongs to, so that a run whose process was killed (it stays
 * 'running': its transaction never committed, and nothing else ends it) is recognised at once by
 * the next import or status read, instead of after an hour. The owner is kept in the run's summary
 * column while it runs (finishRun replaces it), so recognising it needs no new column.
 */
import os from 'node:os';

export interface RunOwner {
  pid: number;
  host: string;
  /** When the owning process started (epoch ms): a later process given the same pid is not the owner. */
  since: number;
}

const SINCE = Math.round(Date.now() - process.uptime() * 1000);

export function thisProcess(): RunOwner {
  return { pid: process.pid, host: os.hostname(), since: SINCE };
}

/** The owner in a running run's summary column; null for runs of versions that did not record it. */
export function ownerOf(summary: string | null): RunOwner | null {
  if (!summary) return null;
  try {
    const o = (JSON.parse(summary) as { owner?: Partial<RunOwner> }).owner;
    return o && typeof o.pid === 'number' && typeof o.host === 'string' ? { pid: o.pid, host: o.host, since: typeof o.since === 'number' ? o.since : 0 } : null;
  } catch {
    return null;
  }
}

/**
 * true: the owning process is gone; false: it is running; null: this process cannot tell (another
 * computer sharing the data folder, or no owner recorded), and only the run's age can.
 */
export function ownerGone(o: RunOwner | null): boolean | null {
  if (!o || o.host !== os.hostname()) return null;
  // Our own pid: the owner is this process unless it started at another time (the pid was reused).
  if (o.pid === process.pid) return o.since !== 0 && Math.abs(o.since - SINCE) > 5000;
  try {
    process.kill(o.pid, 0);
    return false;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // EPERM: the process exists but belongs to another user.
    return code === 'ESRCH' ? true : code === 'EPERM' ? false : null;
  }
}

/** The owner is this very process (another importer in it, or its own run). */
export function isThisProcess(o: RunOwner | null): boolean {
  return !!o && o.host === os.hostname() && o.pid === process.pid && ownerGone(o) === false;
}
