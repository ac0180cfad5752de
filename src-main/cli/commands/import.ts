/**
 * `pawline import`: imports a folder of PIMS export files (or one file) into a data folder,
 * exactly as the Import screen and the folder watch do, and prints the run's summary.
 *
 *   import <folder-or-file> [--profile NAME | --mapping FILE] [--source NAME] [--force] [--allow-removals] [--data-dir DIR] [--json]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ImportProgress, ImportRunRequest, ImportRunSummary } from '../../contract';
import { openForImport, type StandaloneImport } from '../../core/pims/standalone';
import { defaultDataDir } from '../../core/shared/data-dir';
import { ApiError } from '../../core/shared/errors';
import { createLogger, fileSink } from '../../core/shared/log';
import type { CliIo } from '../registry';

export const IMPORT_USAGE = `Usage:
  pawline import <folder-or-file> [--profile NAME | --mapping FILE] [--source NAME] [--force] [--allow-removals]
                 [--data-dir DIR] [--json]

Imports practice-management exports. The layout of each file is recognised from its header
(Covetrus Pulse, OpenVPMS, AVImark, a client list report); --profile picks one (pulse, openvpms,
avimark, client-list, or the name of a mapping saved on the Import screen) and --mapping FILE
reads a column mapping from a JSON file, for any other layout:

  { "columns": { "client.id": "Client #", "client.fullName": "Client Name",
                 "client.cellPhone": "Mobile", "patient.id": "Pet #", "patient.name": "Pet Name",
                 "reminder.description": "Vaccine", "reminder.dueDate": "Next Vaccine Due" },
    "dateOrder": "MDY", "encoding": "windows-1252", "delimiter": ";" }

Files whose content has not changed since their last import are skipped (--force reads them
again). The run is all-or-nothing: on a fatal error nothing changes and the exit code is 1.
Rows with problems (a patient whose client is unknown, a cell that cannot be read) are left out
and listed; when every row was left out, nothing was imported and the exit code is 1 as well.
--json prints the run summary as one JSON object.
`;

const num = (n: number) => n.toLocaleString('en-US');

/** Rows left out because what they belong to is unknown, in words (see RunWriter.orphans). */
const ORPHANS: Record<string, (n: string) => string> = {
  patientsWithUnknownClient: (n) => `${n} patients reference clients that are not in the export or in Pawline; they were not imported.`,
  remindersWithUnknownPatient: (n) => `${n} reminders reference patients that are not in the export or in Pawline; they were not imported.`,
  historyWithUnknownPatient: (n) => `${n} service history rows reference patients that are not in the export or in Pawline; they were not imported.`,
  appointmentsWithUnknownClient: (n) => `${n} appointments reference clients that are not in the export or in Pawline; they were kept without a client.`,
  appointmentsWithUnknownPatient: (n) => `${n} appointments reference patients that are not in the export or in Pawline; they were kept without a pet.`,
};

/** A run that read rows, rejected some and kept none: nothing it was given made it in. */
export function importedNothing(s: ImportRunSummary): boolean {
  const t = s.totals;
  return s.status === 'ok' && s.errors > 0 && t.inserted + t.updated + t.unchanged + t.gone === 0;
}

export function formatSummary(s: ImportRunSummary): string {
  const out: string[] = [];
  const head =
    s.status === 'failed' ? 'Import FAILED' : s.status === 'unchanged' ? 'Nothing changed' : importedNothing(s) ? 'Nothing imported' : s.errors > 0 ? 'Import done with errors' : 'Import done';
  out.push(`${head}: run #${s.runId}, source "${s.source}"${s.profile && s.profile !== s.source ? ` (profile ${s.profile})` : ''}, ${num(s.durationMs)} ms`);
  if (s.error) out.push(`  ${s.error}`);
  if (s.status !== 'failed' && s.errors > 0) out.push(`  ${num(s.errors)} rows were rejected and not imported; the problems list says which and why.`);
  for (const [k, say] of Object.entries(ORPHANS)) {
    const v = s.notes[k];
    if (typeof v === 'number' && v > 0) out.push(`  ${say(num(v))}`);
  }
  for (const f of s.files) {
    out.push(`  ${f.name.padEnd(28)} ${(f.layout ?? '?').padEnd(22)} ${f.skippedUnchanged ? 'unchanged, skipped' : `${num(f.rows)} rows`}${f.encoding && !f.skippedUnchanged ? `  ${f.encoding}, ${f.delimiter === '\t' ? 'tab' : `"${f.delimiter}"`}` : ''}`);
  }
  const ents = Object.entries(s.byEntity);
  if (ents.length) {
    out.push('');
    out.push(`  ${'record'.padEnd(16)} ${'new'.padStart(9)} ${'updated'.padStart(9)} ${'unchanged'.padStart(10)} ${'rejected'.padStart(9)} ${'gone'.padStart(7)}`);
    for (const [e, c] of ents) {
      out.push(`  ${e.padEnd(16)} ${num(c.inserted).padStart(9)} ${num(c.updated).padStart(9)} ${num(c.unchanged).padStart(10)} ${num(c.rejected).padStart(9)} ${num(c.gone).padStart(7)}`);
    }
  }
  out.push('');
  out.push(`  rows read ${num(s.rowsRead)}, duplicate rows ${num(s.duplicateRows)}, problems: ${num(s.errors)} errors, ${num(s.warnings)} warnings`);
  for (const [k, v] of Object.entries(s.notes)) if (!(k in ORPHANS)) out.push(`  ${k}: ${Array.isArray(v) ? v.join(', ') : num(v)}`);
  if (s.errors + s.warnings > 0) out.push(`  (see the problems on the Import screen, run #${s.runId})`);
  return out.join('\n') + '\n';
}

function progressLine(p: ImportProgress): string {
  const pct = p.bytesTotal ? Math.floor((100 * p.bytesDone) / p.bytesTotal) : 0;
  if (p.phase === 'saving') return `saving ${num(p.rows)} rows...`;
  if (p.phase === 'hashing') return 'checking files...';
  return `${p.file ?? ''} ${pct}%  ${num(p.rows)} rows  ${num(p.rowsPerSecond)} rows/s`;
}

export async function importCommand(argv: string[], io: CliIo): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        profile: { type: 'string' },
        mapping: { type: 'string' },
        source: { type: 'string' },
        force: { type: 'boolean', default: false },
        'allow-removals': { type: 'boolean', default: false },
        'data-dir': { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
    });
  } catch (e) {
    io.err(`${(e as Error).message}\n\n${IMPORT_USAGE}`);
    return 2;
  }
  const v = args.values;
  if (v.help) {
    io.out(IMPORT_USAGE);
    return 0;
  }
  if (args.positionals.length !== 1) {
    io.err(`Give exactly one folder or file to import.\n\n${IMPORT_USAGE}`);
    return 2;
  }
  let mapping: unknown;
  if (v.mapping) {
    try {
      mapping = JSON.parse(readFileSync(v.mapping, 'utf8'));
    } catch (e) {
      io.err(`Cannot read the mapping file ${v.mapping}: ${(e as Error).message}\n`);
      return 2;
    }
  }
  const dataDir = path.resolve(v['data-dir'] ?? defaultDataDir(io.env));
  let core: StandaloneImport | null = null;
  try {
    core = openForImport(dataDir, createLogger(fileSink(dataDir, false)));
    const tty = !v.json && process.stderr.isTTY;
    let last = 0;
    if (tty) {
      core.events.on('imports.progress', (p) => {
        const now = Date.now();
        if (now - last < 250 && p.phase === 'reading') return;
        last = now;
        io.err(`\r${progressLine(p).padEnd(70)}`);
      });
    }
    const summary = await core.importer.run({ path: path.resolve(args.positionals[0]), profile: v.profile, mapping: mapping as ImportRunRequest['mapping'], force: v.force, allowRemovals: v['allow-removals'], source: v.source }, 'cli');
    if (tty) io.err('\r'.padEnd(72) + '\r');
    io.out(v.json ? JSON.stringify(summary) + '\n' : formatSummary(summary));
    return summary.status === 'failed' || importedNothing(summary) ? 1 : 0;
  } catch (e) {
    const msg = e instanceof ApiError ? e.message : `${(e as Error).name}: ${(e as Error).message}`;
    if (v.json) io.out(JSON.stringify({ status: 'failed', error: msg, errorCode: e instanceof ApiError ? e.code : 'internal' }) + '\n');
    else io.err(msg + '\n');
    return 1;
  } finally {
    core?.close();
  }
}
