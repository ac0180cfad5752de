/**
 * A desk process for the kill -9 test: opens the data folder it is given, runs the dispatcher until
 * nothing is left to send, then exits. Prints "started" once sending begins and "drained" at the end.
 * Usage: tsx tests/reliability/outbox-child.ts <dataDir>
 */
import { createCore } from '../../src-main/core';
import { silentLogger } from '../../src-main/core/shared/log';

const dir = process.argv[2];
if (!dir) throw new Error('usage: outbox-child.ts <dataDir>');
const core = createCore({
  dataDir: dir,
  host: 'web',
  logger: silentLogger,
  outbox: {
    rate: Infinity,
    concurrency: { sms: 16 },
    pollMs: 10,
    probeMs: 50,
    // The parent kills us while requests are in flight; they land within milliseconds on the simulator.
    reconcileGraceMs: 100,
    twilioTimeoutMs: 5_000,
    statusPollMs: 3_600_000,
  },
});
core.start();
process.stdout.write('started\n');
const open = core.db.prepare<[], { n: number }>("SELECT COUNT(*) n FROM messages WHERE status IN ('queued','waiting','sending')");
const timer = setInterval(() => {
  if (open.get()!.n > 0) return;
  clearInterval(timer);
  void core.close().then(() => {
    process.stdout.write('drained\n');
    process.exit(0);
  });
}, 25);
