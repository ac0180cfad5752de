import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ImportRunSummary } from '../../../src-main/contract';
import { testCore } from '../../helpers/core';
import { tempDir } from '../../helpers/tmp';

const DEMO = path.resolve(__dirname, '../../../resources/demo');

describe('a stray quote in a client row', () => {
  const t = testCore();
  const files = tempDir();
  afterAll(async () => {
    await t.cleanup();
    files.cleanup();
  });

  it('rejects that row with file, line and reason instead of shifting its columns', async () => {
    cpSync(DEMO, files.dir, { recursive: true });
    const file = path.join(files.dir, 'Client.csv');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.splice(2, 0, '"9999","A",,"Open,Quote,"x",,"Seattle","WA","98115",,,,,,,,,False,False,False,"en"');
    writeFileSync(file, lines.join('\n'));
    const r = await t.core.invoke('imports.run', { path: files.dir });
    expect(r.ok).toBe(true);
    const run = (r.ok ? r.value : null) as ImportRunSummary;
    expect(t.core.db.prepare("SELECT COUNT(*) n FROM clients WHERE pims_id = '9999'").get()).toEqual({ n: 0 });
    const problems = t.core.db.prepare('SELECT file, line, reason FROM import_problems WHERE run_id = ?').all(run.runId) as { file: string; line: number; reason: string }[];
    expect(problems).toEqual([expect.objectContaining({ line: 3, reason: expect.stringMatching(/stray quote/) })]);
    expect(problems[0].file).toMatch(/Client\.csv$/);
  });
});
