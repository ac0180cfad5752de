/**
 * `pawline stats`: counts over a data folder's imported PIMS data under the key names of
 * EXPECTED.json's "counts", so `compare-counts.py stats.json EXPECTED.json` checks an import
 * against ground truth.
 *
 *   stats [--data-dir DIR] [--json] [--as-of YYYY-MM-DD] [--source NAME]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { openForImport, type StandaloneImport } from '../../core/pims/standalone';
import { computeStats } from '../../core/pims/stats';
import { defaultDataDir } from '../../core/shared/data-dir';
import { createLogger, fileSink } from '../../core/shared/log';
import type { CliIo } from '../registry';

export const STATS_USAGE = `Usage:
  pawline stats [--data-dir DIR] [--json] [--as-of YYYY-MM-DD] [--source NAME]

Counts clients, patients, reminders, history and appointments (rows marked gone are left out),
named like EXPECTED.json's "counts". Day arithmetic ("overdue", "due in the next 30 days") is
from --as-of, by default the clinic's today. --source limits the counts to one import source.
`;

export async function statsCommand(argv: string[], io: CliIo): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        'data-dir': { type: 'string' },
        json: { type: 'boolean', default: false },
        'as-of': { type: 'string' },
        source: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: false,
    });
  } catch (e) {
    io.err(`${(e as Error).message}\n\n${STATS_USAGE}`);
    return 2;
  }
  const v = args.values;
  if (v.help) {
    io.out(STATS_USAGE);
    return 0;
  }
  if (v['as-of'] !== undefined && !DateTime.fromISO(v['as-of']).isValid) {
    io.err('--as-of needs a date like 2026-12-01.\n');
    return 2;
  }
  const dataDir = path.resolve(v['data-dir'] ?? defaultDataDir(io.env));
  let core: StandaloneImport | null = null;
  try {
    core = openForImport(dataDir, createLogger(fileSink(dataDir, false)));
    const tz = core.timeZone();
    const asOf = v['as-of'] ?? DateTime.fromJSDate(core.clock.now()).setZone(tz).toISODate()!;
    const stats = computeStats(core.db, { asOf, source: v.source });
    if (v.json) io.out(JSON.stringify(stats, null, 2) + '\n');
    else {
      for (const [k, val] of Object.entries(stats)) io.out(`${k.padEnd(52)} ${typeof val === 'object' ? JSON.stringify(val) : String(val)}\n`);
    }
    return 0;
  } catch (e) {
    io.err(`${(e as Error).message}\n`);
    return 1;
  } finally {
    core?.close();
  }
}
