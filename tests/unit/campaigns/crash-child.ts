/**
 * Child process for the crash test: opens the desk on the given data directory, starts a campaign
 * and is killed with SIGKILL right after enqueue chunk `killAfter` has been committed.
 *   node --import tsx crash-child.ts <dataDir> <campaignId> <killAfter>
 */
import { createCore } from '../../../src-main/core';
import { fixedClock } from '../../../src-main/core/shared/clock';
import { silentLogger } from '../../../src-main/core/shared/log';

const [dir, id, killAfter] = process.argv.slice(2);
const core = createCore({
  dataDir: dir!,
  host: 'web',
  logger: silentLogger,
  clock: fixedClock('2026-12-01T18:00:00.000Z'),
  campaigns: {
    chunk: 4,
    afterChunk: (_campaign, n) => {
      if (n === Number(killAfter)) process.kill(process.pid, 'SIGKILL');
    },
  },
});
const r = await core.invoke('campaigns.send', { id: Number(id) });
if (!r.ok) {
  console.error(r.error.message);
  process.exit(2);
}
// The enqueue runs on; the kill comes from inside it.
setTimeout(() => process.exit(3), 30_000);
