/**
 * Data-safety defects a break-it session found in the import: a cut-off last row, flags with
 * values no PIMS writes, one stray Windows-1252 byte in a UTF-8 export, absurd cells, the
 * "unchanged, skipped" check, a run whose process was killed, two imports at once, and a file
 * whose rows all reference records Pawline does not have.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../src-main/cli/main';
import type { ImportRunSummary } from '../../../src-main/contract';
import { listRuns } from '../../../src-main/core/pims/runs';
import { openForImport, type StandaloneImport } from '../../../src-main/core/pims/standalone';
import { silentLogger } from '../../../src-main/core/shared/log';
import { captureIo } from '../../helpers/cli-io';
import { tempDir } from '../../helpers/tmp';
import { PULSE_HEADERS, pulseClinic, table, writePulse, type PulseData } from './fixtures';

const io = captureIo;

interface Problem {
  file: string;
  line: number | null;
  severity: string;
  code: string | null;
  reason: string;
}

describe('import data safety', () => {
  let t: ReturnType<typeof tempDir>;
  let core: StandaloneImport;
  let exp: string;
  let data: PulseData;
  const run = (extra: Record<string, unknown> = {}, p = exp): Promise<ImportRunSummary> => core.importer.run({ path: p, ...extra });
  const problems = (runId: number): Problem[] => core.db.prepare('SELECT file, line, severity, code, reason FROM import_problems WHERE run_id = ? ORDER BY id').all(runId) as Problem[];
  const one = <T>(sql: string, ...p: unknown[]) => core.db.prepare(sql).get(...p) as T;
  const write = (name: string, text: string | Buffer) => writeFileSync(path.join(exp, name), text);

  beforeEach(() => {
    t = tempDir('pawline-safety-');
    core = openForImport(path.join(t.dir, 'data'), silentLogger);
    exp = path.join(t.dir, 'export');
    data = pulseClinic();
  });
  afterEach(() => {
    core.close();
    t.cleanup();
  });

  describe('a file cut off mid-row (no final line break, fewer cells than the header)', () => {
    const cutLastRow = (name: string, keep: number) => {
      const file = path.join(exp, name);
      const lines = readFileSync(file, 'utf8').replace(/\r\n$/, '').split('\r\n');
      const last = lines.pop()!;
      // Cut inside the (keep)th cell, as a copy interrupted mid-write leaves it.
      const cells = last.split('","');
      lines.push(cells.slice(0, keep).join('","').slice(0, -2));
      writeFileSync(file, lines.join('\r\n'));
      return lines.length;
    };

    it('reports the row with its file, line and cell count and does not import it as complete', async () => {
      writePulse(exp, data);
      const line = cutLastRow('Patient.csv', 7);
      const s = await run();
      expect(s.status).toBe('ok');
      const p = problems(s.runId).find((x) => x.code === 'truncated-row');
      expect(p).toMatchObject({ file: 'Patient.csv', line, severity: 'error' });
      expect(p!.reason).toMatch(/^Line 7 has 7 of 17 columns and the file ends there: the export looks cut off/);
      expect(one('SELECT COUNT(*) n FROM patients WHERE pims_id = ?', '6')).toEqual({ n: 0 });
      expect(s.errors).toBeGreaterThanOrEqual(1);
    });

    it('does not mark the records after the cut as gone', async () => {
      writePulse(exp, data);
      expect((await run()).status).toBe('ok');
      // The second export ends three rows early, and mid-row.
      writePulse(exp, { ...data, patients: data.patients.slice(0, 4) });
      cutLastRow('Patient.csv', 5);
      const s = await run();
      expect(s.status).toBe('ok');
      expect(one('SELECT COUNT(*) n FROM patients WHERE gone = 1')).toEqual({ n: 0 });
      expect(problems(s.runId).some((p) => p.code === 'truncated-file' && /not marked as gone/.test(p.reason))).toBe(true);
    });

    it('still imports a short last row that ends with a line break, as before', async () => {
      writePulse(exp, data);
      const file = path.join(exp, 'Patient.csv');
      // Some exports drop trailing empty cells; with a final line break the file is whole.
      writeFileSync(file, readFileSync(file, 'utf8') + '"1005","77","Short"\r\n');
      const s = await run();
      expect(problems(s.runId).filter((p) => p.code === 'truncated-row')).toEqual([]);
      expect(problems(s.runId)).toEqual([]);
      expect(one('SELECT name FROM patients WHERE pims_id = ?', '77')).toEqual({ name: 'Short' });
    });

    it('takes a short last row as one more when the exporter drops trailing empty cells throughout', async () => {
      writePulse(exp, data);
      const file = path.join(exp, 'Patient.csv');
      writeFileSync(file, readFileSync(file, 'utf8') + '"1005","77","Short"\r\n"1005","78","Shorter"');
      const s = await run();
      expect(problems(s.runId).filter((p) => p.code === 'truncated-row')).toEqual([]);
      expect(one('SELECT name FROM patients WHERE pims_id = ?', '78')).toEqual({ name: 'Shorter' });
    });
  });

  describe('flags with values no PIMS writes', () => {
    it('warns about an unknown Inactive value and rejects a patient whose Deceased flag cannot be read', async () => {
      data.clients[1][18] = 'maybe';
      data.patients[2][15] = '?';
      writePulse(exp, data);
      const s = await run();
      expect(s.status).toBe('ok');
      const ps = problems(s.runId);
      expect(ps).toContainEqual(expect.objectContaining({ file: 'Client.csv', line: 3, severity: 'warning', code: 'bad-flag', reason: expect.stringMatching(/flgInactive: "maybe" is not a yes\/no value/) }));
      expect(ps).toContainEqual(expect.objectContaining({ file: 'Patient.csv', line: 4, severity: 'error', code: 'bad-flag', reason: expect.stringMatching(/flgDeceased: "\?" is not a yes\/no value.*not imported/) }));
      expect(one('SELECT COUNT(*) n FROM patients WHERE pims_id = ?', '3')).toEqual({ n: 0 });
      expect(one('SELECT active FROM clients WHERE pims_id = ?', '1002')).toEqual({ active: 1 });
    });

    it('takes an unreadable opt-out as opted out, and says so', async () => {
      data.clients[0][20] = 'perhaps';
      writePulse(exp, data);
      const s = await run();
      expect(problems(s.runId)).toContainEqual(expect.objectContaining({ file: 'Client.csv', line: 2, severity: 'warning', code: 'bad-flag', reason: expect.stringMatching(/DoNotText: "perhaps".*treated as yes/) }));
      expect(one('SELECT pims_no_sms FROM clients WHERE pims_id = ?', '1001')).toEqual({ pims_no_sms: 1 });
    });
  });

  describe('a UTF-8 export with one stray Windows-1252 byte', () => {
    it('is read as UTF-8, keeps every accented name, and reports the line of the stray byte', async () => {
      writePulse(exp, data);
      const file = path.join(exp, 'Client.csv');
      // Lowercase 'e' with acute in Windows-1252 (0xE9), inside an otherwise valid UTF-8 file.
      const text = readFileSync(file, 'utf8').replace('Mill Rd', 'Mill Rd~');
      const buf = Buffer.from(text, 'utf8');
      buf[buf.indexOf('~')] = 0xe9;
      writeFileSync(file, buf);
      const s = await run();
      expect(s.status).toBe('ok');
      expect(s.files.find((f) => f.name === 'Client.csv')!.encoding).toBe('utf-8-bom');
      expect(one('SELECT last_name, first_name, address1 FROM clients WHERE pims_id = ?', '1001')).toEqual({ last_name: 'Côté', first_name: 'Stéphanie', address1: '12 "Old" Mill Rdé, Unit 4' });
      expect(problems(s.runId)).toContainEqual(expect.objectContaining({ file: 'Client.csv', line: 2, severity: 'warning', code: 'not-utf8' }));
    });

    it('without a BOM too', async () => {
      writePulse(exp, data, { bom: false });
      const file = path.join(exp, 'Client.csv');
      const text = readFileSync(file, 'utf8').replace('Pine St', 'Pine St~');
      const buf = Buffer.from(text, 'utf8');
      buf[buf.indexOf('~')] = 0xe9;
      writeFileSync(file, buf);
      const s = await run();
      expect(s.files.find((f) => f.name === 'Client.csv')!.encoding).toBe('utf-8');
      expect(one('SELECT last_name, first_name FROM clients WHERE pims_id = ?', '1001')).toEqual({ last_name: 'Côté', first_name: 'Stéphanie' });
      expect(one('SELECT address1 FROM clients WHERE pims_id = ?', '1002')).toEqual({ address1: '55 Pine Sté' });
      expect(problems(s.runId)).toContainEqual(expect.objectContaining({ file: 'Client.csv', line: 3, severity: 'warning', code: 'not-utf8', reason: expect.stringMatching(/not valid UTF-8/) }));
    });
  });

  describe('absurd cells', () => {
    it('an endless appointment duration is a row problem, not an internal error', async () => {
      data.appointments[1][4] = '1e309';
      data.appointments[2][4] = '99999999999999999999';
      writePulse(exp, data);
      const s = await run();
      expect(s.status).toBe('ok');
      const ps = problems(s.runId);
      expect(ps).toContainEqual(expect.objectContaining({ file: 'Appointments.csv', line: 3, code: 'bad-number', reason: expect.stringMatching(/DurationMinutes: "1e309"/) }));
      expect(ps).toContainEqual(expect.objectContaining({ file: 'Appointments.csv', line: 4, code: 'bad-number' }));
      expect(one('SELECT duration_min FROM appointments WHERE pims_id = ?', '90002')).toEqual({ duration_min: null });
    });

    it('a State of "constructor" or "__proto__" is kept as written', async () => {
      data.clients[0][8] = 'constructor';
      data.clients[1][8] = '__proto__';
      data.clients[2][8] = 'toString';
      writePulse(exp, data);
      const s = await run();
      expect(s.status).toBe('ok');
      expect(core.db.prepare("SELECT pims_id, region FROM clients WHERE pims_id IN ('1001', '1002', '1003') ORDER BY pims_id").all()).toEqual([
        { pims_id: '1001', region: 'constructor' },
        { pims_id: '1002', region: '__proto__' },
        { pims_id: '1003', region: 'toString' },
      ]);
    });
  });

  describe('the "same content already imported" check', () => {
    it('skips the same content exported again to another folder', async () => {
      writePulse(exp, data);
      expect((await run()).status).toBe('ok');
      const again = path.join(t.dir, 'export-2');
      writePulse(again, data);
      const s = await run({}, again);
      expect(s.status).toBe('unchanged');
      expect(s.files.every((f) => f.skippedUnchanged)).toBe(true);
    });

    it('reads a file again when another export of that file was imported since, even at the same path', async () => {
      writePulse(exp, data);
      expect((await run()).status).toBe('ok');
      const other = path.join(t.dir, 'export-b');
      writePulse(other, { ...data, clients: data.clients.map((c) => (c[0] === '1002' ? [...c.slice(0, 4), 'Renamed', ...c.slice(5)] : c)) });
      expect((await run({}, other)).status).toBe('ok');
      expect(one('SELECT first_name FROM clients WHERE pims_id = ?', '1002')).toEqual({ first_name: 'Renamed' });
      // The first folder again, byte for byte: the database holds the other export's data now.
      const s = await run();
      expect(s.files.find((f) => f.name === 'Client.csv')!.skippedUnchanged).toBe(false);
      expect(one('SELECT first_name FROM clients WHERE pims_id = ?', '1002')).toEqual({ first_name: 'Bao' });
    });

    it('reads a different file that took the place of an imported one', async () => {
      writePulse(exp, data);
      expect((await run()).status).toBe('ok');
      const tmp = path.join(t.dir, 'new-clients.csv');
      writeFileSync(tmp, table(PULSE_HEADERS.clients, data.clients.map((c) => (c[0] === '1003' ? [...c.slice(0, 4), 'Luke', ...c.slice(5)] : c)), { quoteAll: true, bom: true }));
      renameSync(tmp, path.join(exp, 'Client.csv'));
      const s = await run();
      expect(s.files.find((f) => f.name === 'Client.csv')!.skippedUnchanged).toBe(false);
      expect(one('SELECT first_name FROM clients WHERE pims_id = ?', '1003')).toEqual({ first_name: 'Luke' });
    });

    it('reads a file again when the column mapping changed', async () => {
      mkdirSync(exp, { recursive: true });
      write('list.csv', 'Acct;Owner;Cell;Animal;Pet\r\nA1;Roy, Maëlle;514 555 0108;P1;Moka\r\n');
      const first = await run({ mapping: { columns: { 'client.id': 'Acct', 'client.fullName': 'Owner', 'patient.id': 'Animal', 'patient.name': 'Pet' } } }, path.join(exp, 'list.csv'));
      expect(first.status).toBe('ok');
      const s = await run({ mapping: { columns: { 'client.id': 'Acct', 'client.fullName': 'Owner', 'client.cellPhone': 'Cell', 'patient.id': 'Animal', 'patient.name': 'Pet' } } }, path.join(exp, 'list.csv'));
      expect(s.files[0].skippedUnchanged).toBe(false);
      expect(one("SELECT COUNT(*) n FROM contact_points WHERE kind = 'phone'")).toEqual({ n: 1 });
    });
  });

  describe('a run whose process was killed', () => {
    const orphan = (pid: number, host = os.hostname(), minutesAgo = 2) => {
      const started = new Date(Date.now() - minutesAgo * 60_000).toISOString();
      return Number(
        core.db
          .prepare("INSERT INTO import_runs (started_at, status, source, profile, trigger, summary) VALUES (?, 'running', 'pulse', NULL, 'cli', ?)")
          .run(started, JSON.stringify({ owner: { pid, host } })).lastInsertRowid,
      );
    };
    const deadPid = () => {
      // A pid far above any the system hands out is not a live process.
      return 2 ** 22 + 12345;
    };

    it('shows as interrupted on the next status read and is marked failed by the next import', async () => {
      const id = orphan(deadPid());
      const seen = listRuns(core.db).find((r) => r.runId === id)!;
      expect(seen.status).toBe('failed');
      expect(seen.error).toMatch(/Interrupted/);
      writePulse(exp, data);
      expect((await run()).status).toBe('ok');
      expect(one('SELECT status, error FROM import_runs WHERE id = ?', id)).toMatchObject({ status: 'failed', error: expect.stringMatching(/Interrupted: the import process stopped/) });
    });

    it('is recognised as soon as its process is SIGKILLed', async () => {
      const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)'], { stdio: 'ignore' });
      await once(child, 'spawn');
      const id = orphan(child.pid!, os.hostname(), 0);
      expect(listRuns(core.db).find((r) => r.runId === id)!.status).toBe('running');
      child.kill('SIGKILL');
      await once(child, 'exit');
      const seen = listRuns(core.db).find((r) => r.runId === id)!;
      expect(seen).toMatchObject({ status: 'failed', error: expect.stringMatching(/^Interrupted: the import process stopped/) });
      // The next import's check records it, and goes ahead.
      writePulse(exp, data);
      expect((await run()).status).toBe('ok');
      expect(one('SELECT status FROM import_runs WHERE id = ?', id)).toEqual({ status: 'failed' });
    });

    it('leaves a run of a live process alone', async () => {
      const id = orphan(process.pid === 1 ? 2 : 1);
      expect(listRuns(core.db).find((r) => r.runId === id)!.status).toBe('running');
    });

    it('leaves a recent run of another computer alone (the data folder may be shared)', async () => {
      const id = orphan(deadPid(), 'some-other-host');
      expect(listRuns(core.db).find((r) => r.runId === id)!.status).toBe('running');
    });
  });

  describe('CLI', () => {
    it('a second import while another is running fails fast with a clear message', async () => {
      writePulse(exp, data);
      const dataDir = path.join(t.dir, 'data');
      // A live run of another process, holding the write lock as an import's transaction does.
      core.db
        .prepare("INSERT INTO import_runs (started_at, status, source, profile, trigger, summary) VALUES (?, 'running', 'pulse', NULL, 'cli', ?)")
        .run(new Date().toISOString(), JSON.stringify({ owner: { pid: process.pid === 1 ? 2 : 1, host: os.hostname() } }));
      core.db.exec('BEGIN IMMEDIATE');
      try {
        const a = io();
        const started = Date.now();
        expect(await main(['import', exp, '--data-dir', dataDir], a)).toBe(1);
        expect(Date.now() - started).toBeLessThan(10_000);
        expect(a.stderr + a.stdout).toMatch(/another import is running in this data folder; try again when it finishes/i);
        expect(a.stderr + a.stdout).not.toMatch(/SqliteError/);
      } finally {
        core.db.exec('ROLLBACK');
      }
    });

    it('patients whose clients are all unknown: errors counted, and the summary does not read as success', async () => {
      mkdirSync(exp, { recursive: true });
      copyFileSync(writePulse(path.join(t.dir, 'full'), data) + '/Patient.csv', path.join(exp, 'Patient.csv'));
      rmSync(path.join(t.dir, 'full'), { recursive: true });
      const dataDir = path.join(t.dir, 'data');
      const a = io();
      const code = await main(['import', exp, '--data-dir', dataDir], a);
      expect(a.stdout).not.toMatch(/^Import done/);
      expect(a.stdout).toMatch(/6 patients reference clients that are not in the export or in Pawline; they were not imported/);
      expect(code).not.toBe(0);
      const j = io();
      await main(['import', exp, '--data-dir', dataDir, '--json', '--force'], j);
      const s = JSON.parse(j.stdout) as ImportRunSummary;
      expect(s.errors).toBe(6);
      expect(s.notes).toMatchObject({ patientsWithUnknownClient: 6 });
    });
  });
});
