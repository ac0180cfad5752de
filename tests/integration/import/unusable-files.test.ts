import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportPreview, ImportRunSummary } from '../../../src-main/contract';
import { listProblems } from '../../../src-main/core/pims/runs';
import { testCore } from '../../helpers/core';
import { tempDir } from '../../helpers/tmp';
import { PULSE_HEADERS, pulseClinic, table, writePulse } from './fixtures';

describe('files that cannot be imported say why', () => {
  const t = testCore();
  const files = tempDir('pawline-unusable-');
  const run = async (p: string): Promise<ImportRunSummary> => {
    const r = await t.core.invoke('imports.run', { path: p });
    if (!r.ok) throw new Error(r.error.message);
    return r.value as ImportRunSummary;
  };
  const write = (name: string, content: string | Buffer) => {
    const file = path.join(files.dir, name);
    writeFileSync(file, content);
    return file;
  };
  beforeAll(() => {
    write('empty.csv', '');
    write('blank-lines.csv', '\r\n\r\n  \r\n');
    // A spreadsheet saved under a .csv name: a zip archive, full of NULs and control bytes.
    write('book.csv', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i % 7 === 0 ? 0 : (i * 37) % 256))));
    write('one-line.csv', 'x'.repeat(200_000));
  });
  afterAll(async () => {
    await t.cleanup();
    files.cleanup();
  });

  it('an empty file (or one of blank lines) is called empty, and the failed run counts its error', async () => {
    for (const name of ['empty.csv', 'blank-lines.csv']) {
      const s = await run(path.join(files.dir, name));
      expect(s).toMatchObject({ status: 'failed', errorCode: 'import.empty-file', errors: 1 });
      expect(s.error).toMatch(new RegExp(`^${name.replace('.', '\\.')} is empty`));
      expect(listProblems(t.core.db, s.runId).items[0]).toMatchObject({ severity: 'error', code: 'fatal' });
    }
  });

  it('a binary file is not a text export, and a file without line breaks says so', async () => {
    const bin = await run(path.join(files.dir, 'book.csv'));
    expect(bin).toMatchObject({ status: 'failed', errorCode: 'import.not-text', errors: 1 });
    expect(bin.error).toMatch(/is not a text export/);
    const line = await run(path.join(files.dir, 'one-line.csv'));
    expect(line).toMatchObject({ status: 'failed', errorCode: 'import.line-too-long' });
    expect(line.error).toMatch(/no line break/);
  });

  it('in a folder, lists each unusable file as a problem and imports the rest', async () => {
    const dir = writePulse(path.join(files.dir, 'export'), pulseClinic());
    writeFileSync(path.join(dir, 'Notes.csv'), '');
    const s = await run(dir);
    expect(s.status).toBe('ok');
    expect(listProblems(t.core.db, s.runId).items).toContainEqual(expect.objectContaining({ file: 'Notes.csv', severity: 'warning', code: 'empty-file' }));
  });

  it('a folder of nothing but unusable files names them', async () => {
    const dir = path.join(files.dir, 'junk');
    writePulse(dir, pulseClinic());
    for (const f of ['Client.csv', 'Patient.csv', 'Reminders.csv', 'RemCodes.csv', 'History.csv', 'Appointments.csv']) writeFileSync(path.join(dir, f), '');
    const s = await run(dir);
    expect(s).toMatchObject({ status: 'failed', errorCode: 'import.empty-file' });
    expect(s.error).toMatch(/Appointments\.csv is empty; Client\.csv is empty/);
  });

  it('a line of 2 MB in a data file is too long, not an unclosed quote', async () => {
    const dir = writePulse(path.join(files.dir, 'long'), pulseClinic());
    const data = pulseClinic();
    writeFileSync(path.join(dir, 'Reminders.csv'), table(PULSE_HEADERS.reminders, data.reminders, { quoteAll: true }) + '500099,1,RAB1,' + 'y'.repeat(2_000_000) + '\r\n');
    const s = await run(dir);
    expect(s).toMatchObject({ status: 'failed', errorCode: 'import.unreadable', errors: 1 });
    expect(s.error).toMatch(/^Line \d+ is longer than 1,000,000 characters/);
    expect(s.error).not.toMatch(/quote/);
    const fatal = listProblems(t.core.db, s.runId).items.find((p) => p.code === 'fatal');
    expect(fatal).toMatchObject({ file: 'Reminders.csv', line: data.reminders.length + 2 });
  });

  it('the preview says why instead of offering a mapping', async () => {
    const r = await t.core.invoke('imports.preview', { path: path.join(files.dir, 'book.csv') });
    expect(r.ok && (r.value as ImportPreview).files[0]).toMatchObject({ layout: null, suggestedMapping: null, problem: expect.stringMatching(/not a text export/) });
  });
});
