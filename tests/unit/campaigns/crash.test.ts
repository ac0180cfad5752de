import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src-main/core';
import { fixedClock } from '../../../src-main/core/shared/clock';
import { silentLogger } from '../../../src-main/core/shared/log';
import { pimsFixture } from '../../helpers/pims-fixture';
import { CLINIC } from '../../helpers/settings-fixtures';
import { tempDir } from '../../helpers/tmp';
import { alertInput } from './helpers';

const open = (dir: string, campaigns = {}) =>
  createCore({ dataDir: dir, host: 'web', logger: silentLogger, clock: fixedClock('2026-12-01T18:00:00.000Z'), campaigns: { tickMs: 20, ...campaigns } });

const keysOf = (core: Core, id: number) =>
  core.db.prepare<[number], { dedupe_key: string }>('SELECT dedupe_key FROM messages WHERE campaign_id = ? ORDER BY id').all(id).map((r) => r.dedupe_key);

async function until(check: () => boolean, what: string) {
  for (let i = 0; i < 500; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('a crash in the middle of an enqueue', () => {
  const tmp = tempDir('pawline-campaign-crash-');
  let core: Core | null = null;
  afterEach(async () => {
    await core?.close();
    core = null;
  });
  afterAll(() => tmp.cleanup());

  it('SIGKILL after a committed chunk: the restart finishes the enqueue, every client once per channel', async () => {
    core = open(tmp.dir);
    core.settings.saveClinic(CLINIC);
    const f = pimsFixture(core.db);
    const clients: number[] = [];
    for (let i = 0; i < 30; i++) clients.push(f.household({ cell: `+1206555${String(7000 + i)}`, email: `o${i}@example.com`, pets: [{}] }).clientId);
    const created = await core.invoke('campaigns.create', alertInput());
    if (!created.ok) throw new Error(created.error.message);
    const id = (created.value as { id: number }).id;
    await core.close();
    core = null;

    // Killed right after the third chunk of 4 clients (24 messages) was committed.
    const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'crash-child.ts'), tmp.dir, String(id), '2'], { encoding: 'utf8', timeout: 60_000 });
    expect(child.signal).toBe('SIGKILL');

    core = open(tmp.dir);
    const partial = keysOf(core, id);
    expect(partial).toHaveLength(24);
    const row = core.db.prepare<[number], { status: string; enqueue_state: string }>('SELECT status, enqueue_state FROM campaigns WHERE id = ?').get(id)!;
    expect(row).toEqual({ status: 'sending', enqueue_state: 'running' });

    // A double click after the restart changes nothing either.
    expect((await core.invoke('campaigns.send', { id })).ok).toBe(true);
    core.start();
    await until(() => core!.db.prepare<[number], { s: string }>('SELECT enqueue_state s FROM campaigns WHERE id = ?').get(id)!.s === 'done', 'the resumed enqueue');
    const keys = keysOf(core, id);
    expect(keys).toHaveLength(60);
    expect(new Set(keys).size).toBe(60);
    const expected = clients.flatMap((c) => [`campaign:${id}:${c}:sms`, `campaign:${id}:${c}:email`]).sort();
    expect([...keys].sort()).toEqual(expected);
    // The first 24 rows are the ones written before the kill, untouched.
    expect(keys.slice(0, 24)).toEqual(partial);
  });

  it('an enqueue stopped by an error is finished after a restart, nothing twice', async () => {
    const t2 = tempDir('pawline-campaign-crash2-');
    let fail = true;
    core = open(t2.dir, {
      chunk: 5,
      afterChunk: (_id: number, n: number) => {
        if (n === 1 && fail) {
          fail = false;
          throw new Error('disk went away');
        }
      },
    });
    core.settings.saveClinic(CLINIC);
    const f = pimsFixture(core.db);
    for (let i = 0; i < 12; i++) f.household({ cell: `+1206555${String(7100 + i)}`, email: null, pets: [{}] });
    const created = await core.invoke('campaigns.create', alertInput({ delivery: 'sms' }));
    const id = (created as { value: { id: number } }).value.id;
    await core.invoke('campaigns.send', { id });
    await until(() => keysOf(core!, id).length === 10, 'two chunks');
    // The failed run left the campaign 'running'; the service retries it after a restart.
    await core.close();
    core = open(t2.dir);
    core.start();
    await until(() => keysOf(core!, id).length === 12, 'the rest');
    expect(new Set(keysOf(core, id)).size).toBe(12);
    await core.close();
    core = null;
    t2.cleanup();
  });
});
