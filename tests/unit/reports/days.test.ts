import { describe, expect, it } from 'vitest';
import { dayGrid, localDayParams } from '../../../src-main/core/reports/days';
import { testCore } from '../../helpers/core';
import { CLINIC } from '../../helpers/settings-fixtures';
import { fixedClock } from '../../../src-main/core/shared/clock';
import { messages } from './messages-fixture';
import type { ReportResult } from '../../../src-main/contract';

describe('report days', () => {
  it('cuts the range at local midnights, with a 23-hour day at spring-forward and a 25-hour one at fall-back', () => {
    const g = dayGrid('2026-03-07', '2026-03-09', 'America/Los_Angeles');
    expect(g.starts).toEqual(['2026-03-07T08:00:00.000Z', '2026-03-08T08:00:00.000Z', '2026-03-09T07:00:00.000Z', '2026-03-10T07:00:00.000Z']);
    expect(g.offsets).toEqual([
      { until: '2026-03-08T10:00:00.000Z', minutes: -480 },
      { until: null, minutes: -420 },
    ]);
    expect(localDayParams(g)).toEqual({ lo0: '-480 minutes', lu0: '2026-03-08T10:00:00.000Z', lo1: '-420 minutes' });
    expect(g.bucket).toBe('hour');
    expect(g.indexOf('2026-03-08T07:59:59.999Z')).toBe(0);
    expect(g.indexOf('2026-03-08T08:00:00.000Z')).toBe(1);
    expect(g.indexOf('2026-03-09T06:59:59.000Z')).toBe(1);
    expect(g.indexOf('2026-03-09T07:00:00.000Z')).toBe(2);
    expect(g.indexOf('2026-03-10T07:00:00.000Z')).toBe(-1);
    expect(g.indexOf('2026-03-07T07:59:00.000Z')).toBe(-1);
    const fall = dayGrid('2026-11-01', '2026-11-01', 'America/Los_Angeles');
    expect(Date.parse(fall.to) - Date.parse(fall.from)).toBe(25 * 3_600_000);
  });

  it('uses quarter-hour buckets where the offset is not whole hours (Newfoundland)', async () => {
    const g = dayGrid('2026-06-01', '2026-06-02', 'America/St_Johns');
    expect(g.bucket).toBe('quarter');
    expect(g.starts[1]).toBe('2026-06-02T02:30:00.000Z');
    const t = testCore({ clock: fixedClock('2026-06-05T12:00:00Z') });
    try {
      t.core.settings.saveClinic({ ...CLINIC, timeZone: 'America/St_Johns' });
      const m = messages(t.core.db);
      m.add({ status: 'delivered', sentAt: '2026-06-02T02:29:00.000Z' }); // 23:59 on June 1st
      m.add({ status: 'delivered', sentAt: '2026-06-02T02:30:00.000Z' }); // midnight, June 2nd
      m.add({ status: 'delivered', sentAt: '2026-06-02T02:44:00.000Z' });
      const r = await t.core.invoke('reports.summary', { from: '2026-06-01', to: '2026-06-02' });
      if (!r.ok) throw new Error(r.error.message);
      expect((r.value as ReportResult).days.map((d) => d.sent)).toEqual([1, 2]);
    } finally {
      await t.cleanup();
    }
  });
});
