import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { plannerWorld, type PlannerWorld } from './helpers';

// The planner keeps what it read from the PIMS tables between runs (reminders/snapshot.ts). These
// tests change those tables behind its back, every way the desk or a test can, and expect the next
// plan to see the change.

let w: PlannerWorld;
afterEach(async () => {
  await w?.cleanup();
});

const queuedFor = (clientId: number) => w.messages(`kind = 'reminder' AND status = 'queued' AND client_id = ${clientId}`);

describe('reminder planner: PIMS snapshot kept between runs', () => {
  it('plans a reminder inserted after the last plan, and withdraws one whose pet is updated to deceased', async () => {
    w = await plannerWorld();
    const a = w.f.household({ pets: [{ name: 'Max', reminders: [{ code: 'RAB1', due: '2026-12-05' }] }] });
    await w.plan();
    expect(queuedFor(a.clientId)).toHaveLength(1);

    const b = w.f.household({ pets: [{ name: 'Luna', reminders: [{ code: 'EXAM', due: '2026-12-06' }] }] });
    const s = await w.plan();
    expect(s.reminders.messages).toBe(1);
    expect(queuedFor(b.clientId)).toHaveLength(1);

    w.f.updatePatient(b.pets[0].id, { deceased: true });
    const s2 = await w.plan();
    expect(s2.reminders.withdrawn).toEqual({ 'pet deceased': 1 });
    expect(queuedFor(b.clientId)).toHaveLength(0);
  });

  it('sees a change another process commits (the CLI importing beside the desk)', async () => {
    w = await plannerWorld();
    const a = w.f.household({ pets: [{ name: 'Max', reminders: [{ code: 'RAB1', due: '2026-12-05' }] }] });
    await w.plan();
    expect(queuedFor(a.clientId)).toHaveLength(1);

    const other = new Database(path.join(w.core.dataDir, 'pawline.sqlite3'));
    try {
      other.prepare('UPDATE clients SET active = 0 WHERE id = ?').run(a.clientId);
    } finally {
      other.close();
    }
    const s = await w.plan();
    expect(s.reminders.withdrawn).toEqual({ 'client inactive': 1 });
  });

  it('sees a history row that satisfies a reminder, and a deleted reminder', async () => {
    w = await plannerWorld({ autoApprove: false });
    const a = w.f.household({ pets: [{ name: 'Max', reminders: [{ code: 'RAB1', due: '2026-11-15' }, { code: 'DHPP', due: '2026-11-15' }] }] });
    expect((await w.plan()).reminders.suppressed.satisfied ?? 0).toBe(0);
    w.f.history(a.pets[0].id, 'RAB1', '2026-11-20');
    const s = await w.plan();
    expect(s.reminders.suppressed.satisfied).toBe(1);
    w.core.db.prepare('DELETE FROM reminders WHERE patient_id = ?').run(a.pets[0].id);
    const s2 = await w.plan();
    expect(s2.reminders.messages).toBe(0);
    expect(s2.reminders.suppressed.satisfied ?? 0).toBe(0);
  });
});

describe('reminder planner: suppression list kept once while it does not change', () => {
  it('points a run with the same suppressions at the rows already written, and writes a changed list afresh', async () => {
    w = await plannerWorld();
    w.f.household({ pets: [{ name: 'Ghost', deceased: true, reminders: [{ code: 'RAB1', due: '2026-12-05' }] }] });
    const b = w.f.household({ pets: [{ name: 'Shy', suspendReminders: true, reminders: [{ code: 'RAB1', due: '2026-12-05' }] }] });
    const rowCount = () => (w.core.db.prepare('SELECT COUNT(*) n FROM plan_suppressions').get() as { n: number }).n;
    const s1 = await w.plan();
    expect(rowCount()).toBe(2);
    const s2 = await w.plan();
    expect(rowCount()).toBe(2);
    const listed = await w.call('reminders.plan.suppressed', { runId: s2.runId! });
    expect(listed.rows.map((r) => `${r.petName}:${r.reason}`).sort()).toEqual(['Ghost:patient-deceased', 'Shy:suspended']);
    expect((await w.call('reminders.plan.suppressed', { runId: s1.runId! })).total).toBe(2);

    w.f.updatePatient(b.pets[0].id, { deceased: true });
    const s3 = await w.plan();
    expect(rowCount()).toBe(4);
    const now = await w.call('reminders.plan.suppressed', {});
    expect(now.rows.map((r) => `${r.petName}:${r.reason}`).sort()).toEqual(['Ghost:patient-deceased', 'Shy:patient-deceased']);
    expect(s3.runId).toBeGreaterThan(s2.runId!);
    // The older runs still list what they suppressed.
    expect((await w.call('reminders.plan.suppressed', { runId: s2.runId!, reason: 'suspended' })).total).toBe(1);
  });

  it('keeps the rows a recent run points at when older runs are pruned', async () => {
    w = await plannerWorld();
    w.f.household({ pets: [{ name: 'Ghost', deceased: true, reminders: [{ code: 'RAB1', due: '2026-12-05' }] }] });
    for (let i = 0; i < 14; i++) await w.plan();
    const listed = await w.call('reminders.plan.suppressed', {});
    expect(listed.rows.map((r) => r.petName)).toEqual(['Ghost']);
  });
});
