import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../src-main/cli/main';
import { captureIo } from '../../helpers/cli-io';
import { tempDir } from '../../helpers/tmp';
import { pulseClinic, writeClientList, writePulse } from './fixtures';

const io = captureIo;

describe('pawline import / stats (CLI)', () => {
  let t: ReturnType<typeof tempDir>;
  let dataDir: string;
  beforeEach(() => {
    t = tempDir('pawline-cli-');
    dataDir = path.join(t.dir, 'data');
  });
  afterEach(() => t.cleanup());

  it('imports a folder, prints one JSON summary, and stats prints EXPECTED.json keys', async () => {
    const exp = writePulse(path.join(t.dir, 'export'), pulseClinic());
    const a = io();
    expect(await main(['import', exp, '--data-dir', dataDir, '--json'], a)).toBe(0);
    const summary = JSON.parse(a.stdout);
    expect(summary).toMatchObject({ status: 'ok', source: 'pulse', trigger: 'cli', totals: { inserted: 32 } }); // 5 clients, 6 pets, 7 reminders, 6 codes, 4 history rows, 4 appointments

    const again = io();
    expect(await main(['import', exp, '--data-dir', dataDir], again)).toBe(0);
    expect(again.stdout).toMatch(/^Nothing changed: run #2/);
    expect(again.stdout).toMatch(/Client\.csv\s+pulse\.clients\s+unchanged, skipped/);

    const s = io();
    expect(await main(['stats', '--data-dir', dataDir, '--json', '--as-of', '2026-12-01'], s)).toBe(0);
    const stats = JSON.parse(s.stdout);
    for (const key of [
      'clients', 'clients_active', 'patients', 'patients_living', 'patients_deceased', 'reminders', 'reminders_for_deceased_patients',
      'reminders_satisfied_by_history', 'appointments', 'appointments_by_status', 'clients_without_sms_capable_number',
      'clients_with_malformed_email', 'clients_sharing_cell_number',
    ]) {
      expect(stats, key).toHaveProperty(key);
    }
    expect(stats).toMatchObject({ clients: 5, patients_deceased: 1, reminders_satisfied_by_history: 1, clients_sharing_cell_number: 2 });
  });

  it('imports an unknown layout with --mapping FILE', async () => {
    const file = path.join(t.dir, 'list.csv');
    writeFileSync(file, 'Acct;Owner;Cell;Animal;Pet\r\nA1;Roy, Maëlle;514 555 0108;P1;Moka\r\n');
    const mappingFile = path.join(t.dir, 'mapping.json');
    writeFileSync(mappingFile, JSON.stringify({ columns: { 'client.id': 'Acct', 'client.fullName': 'Owner', 'client.cellPhone': 'Cell', 'patient.id': 'Animal', 'patient.name': 'Pet' } }));
    const a = io();
    expect(await main(['import', file, '--mapping', mappingFile, '--data-dir', dataDir, '--json'], a)).toBe(0);
    expect(JSON.parse(a.stdout)).toMatchObject({ status: 'ok', source: 'mapping', byEntity: { clients: { inserted: 1 }, patients: { inserted: 1 } } });
  });

  it('exits non-zero on a fatal error and says why', async () => {
    const a = io();
    expect(await main(['import', path.join(t.dir, 'missing'), '--data-dir', dataDir, '--json'], a)).toBe(1);
    expect(JSON.parse(a.stdout)).toMatchObject({ status: 'failed', errorCode: 'import.not-found' });

    const file = writeClientList(path.join(t.dir, 'x.csv'));
    const bad = io();
    expect(await main(['import', file, '--profile', 'no-such-profile', '--data-dir', dataDir], bad)).toBe(1);
    expect(bad.stdout).toMatch(/Import FAILED/);
    expect(bad.stdout).toMatch(/no layout or saved mapping called "no-such-profile"/);
  });

  it('refuses bad usage with exit code 2 and lists the commands', async () => {
    const a = io();
    expect(await main(['import'], a)).toBe(2);
    expect(a.stderr).toMatch(/exactly one folder or file/);
    const b = io();
    expect(await main(['frobnicate'], b)).toBe(2);
    expect(b.stderr).toMatch(/import\s+Import PIMS export files/);
    const c = io();
    expect(await main(['stats', '--as-of', 'yesterday', '--data-dir', dataDir], c)).toBe(2);
  });
});
