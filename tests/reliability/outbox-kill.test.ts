import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src-main/core';
import { silentLogger } from '../../src-main/core/shared/log';
import { startTwilioSim, type TwilioSim } from '../doubles/twilio-sim';
import { tempDir } from '../helpers/tmp';
import { clinicIn, middayZone, twilioFor } from '../integration/outbox/helpers';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SOURCE = path.join(import.meta.dirname, 'outbox-child.ts');
// Bundled once (inside the repo so its packages resolve): eleven cold starts of the TypeScript loader
// would take most of the time budget on a slow machine.
const CHILD = path.join(ROOT, 'node_modules/.cache/pawline-tests/outbox-child.mjs');
const N = 2000;
const KILLS = 10;

function launch(dir: string): { proc: ChildProcess; started: Promise<void>; exited: Promise<number | null>; drained: Promise<boolean> } {
  // The script itself is the process we kill: no launcher in between that a SIGKILL would leave orphaned.
  const proc = spawn(process.execPath, [CHILD, dir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  let onStart!: () => void;
  let onDrain!: (v: boolean) => void;
  const started = new Promise<void>((r) => (onStart = r));
  const drained = new Promise<boolean>((r) => (onDrain = r));
  proc.stdout!.setEncoding('utf8');
  proc.stdout!.on('data', (c: string) => {
    out += c;
    if (out.includes('started')) onStart();
    if (out.includes('drained')) onDrain(true);
  });
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => (onDrain(false), onStart(), r(code))));
  return { proc, started, exited, drained };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('kill -9 during a 2,000-message send, 10 times', () => {
  let sim: TwilioSim;
  const t = tempDir('pawline-kill-');
  beforeAll(async () => {
    mkdirSync(path.dirname(CHILD), { recursive: true });
    await build({ entryPoints: [SOURCE], outfile: CHILD, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning' });
    sim = await startTwilioSim({ delays: { sentMs: 5, deliveredMs: 5 } });
    // A little latency keeps requests in flight, so kills land mid-request too.
    sim.setLatency(3);
    const core = createCore({ dataDir: t.dir, host: 'web', logger: silentLogger });
    const call = async (m: string, a: unknown) => {
      const r = await core.invoke(m, a);
      if (!r.ok) throw new Error(r.error.message);
    };
    await call('settings.saveClinic', clinicIn(middayZone()));
    await call('settings.saveTwilio', twilioFor(sim));
    core.outbox.enqueue(
      Array.from({ length: N }, (_, i) => ({
        dedupeKey: `kill:${i}`,
        channel: 'sms' as const,
        kind: (['alert', 'reminder', 'appointment', 'marketing'] as const)[i % 4],
        // Several messages per number, so interrupted sends share numbers with queued ones.
        to: `+1206555${String(1000 + (i % 500)).padStart(4, '0')}`,
        body: `Reliability check #${i}`,
        notBefore: new Date(0),
        createdBy: 'test',
      })),
    );
    await core.close();
  });
  afterAll(async () => {
    await sim?.close();
    t.cleanup();
  });

  it('every message reaches the simulator exactly once', { timeout: 180_000 }, async () => {
    let kills = 0;
    while (kills < KILLS) {
      const run = launch(t.dir);
      await run.started;
      const before = sim.stats.created;
      // Kill after a random amount of progress, at a random instant within it.
      const target = before + 20 + Math.floor(Math.random() * 130);
      while (sim.stats.created < target && run.proc.exitCode === null) await sleep(2);
      await sleep(Math.random() * 15);
      if (run.proc.exitCode !== null) break; // drained before we could kill it
      run.proc.kill('SIGKILL');
      await run.exited;
      kills++;
      if (process.env.KILL_DEBUG) console.log(`kill ${kills}: sim has ${sim.stats.created} (run started at ${before}) t=${Math.round(performance.now())}`);
    }
    expect(kills).toBe(KILLS);
    const last = launch(t.dir);
    expect(await last.drained).toBe(true);
    expect(await last.exited).toBe(0);

    const bodies = new Map<string, number>();
    for (const m of sim.outbound()) bodies.set(m.body, (bodies.get(m.body) ?? 0) + 1);
    const dupes = [...bodies].filter(([, n]) => n > 1);
    expect(dupes).toEqual([]);
    expect(bodies.size).toBe(N);
    expect(sim.outbound()).toHaveLength(N);

    const core = createCore({ dataDir: t.dir, host: 'web', logger: silentLogger });
    try {
      const rows = core.db.prepare<[], { status: string; provider_id: string; body: string }>('SELECT status, provider_id, body FROM messages').all();
      expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
      const sidOf = new Map(sim.outbound().map((m) => [m.body, m.sid]));
      expect(rows.filter((r) => sidOf.get(r.body) !== r.provider_id)).toEqual([]);
      const interrupted = core.db.prepare<[], { n: number }>("SELECT COUNT(*) n FROM message_events WHERE detail LIKE 'interrupted by a restart%'").get()!.n;
      expect(interrupted).toBeGreaterThanOrEqual(KILLS);
    } finally {
      await core.close();
    }
  });
});
