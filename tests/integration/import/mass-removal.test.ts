import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ImportRunSummary } from '../../../src-main/contract';
import { testCore } from '../../helpers/core';
import { tempDir } from '../../helpers/tmp';

const DEMO = path.resolve(__dirname, '../../../resources/demo');

describe('a truncated full export', () => {
  const t = testCore();
  const files = tempDir();
  afterAll(async () => {
    await t.cleanup();
    files.cleanup();
  });

  it('is refused instead of marking most clients gone, and is accepted with allowRemovals', async () => {
    const first = await t.core.invoke('imports.run', { path: DEMO });
    expect(first.ok).toBe(true);
    const count = () => (t.core.db.prepare('SELECT COUNT(*) n FROM clients WHERE gone = 0').get() as { n: number }).n;
    const before = count();
    expect(before).toBeGreaterThan(20);

    const dir = path.join(files.dir, 'header-only');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'Client.csv'), readFileSync(path.join(DEMO, 'Client.csv'), 'utf8').split('\n')[0] + '\n');
    const r = await t.core.invoke('imports.run', { path: dir });
    const failed = r.ok ? (r.value as ImportRunSummary) : null;
    const message = r.ok ? JSON.stringify(r.value) : r.error.message;
    expect(failed === null || failed.status === 'failed').toBe(true);
    expect(message).toMatch(/would remove \d+ of \d+ clients/);
    expect(count()).toBe(before);

    const keep = path.join(files.dir, 'keep');
    cpSync(dir, keep, { recursive: true });
    const forced = await t.core.invoke('imports.run', { path: keep, allowRemovals: true, force: true });
    expect(forced.ok).toBe(true);
    expect(count()).toBe(0);
  });
});
