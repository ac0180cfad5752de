/**
 * Import benchmark (plain script, not a test):
 *   npx tsx tests/bench/import.bench.ts [--data ../shared/data/larkspur/vetdata-pulse] [--runs 3]
 *
 * In the same run, on the same files:
 *   raw     sqlite3's own `.import` of every CSV into untyped tables (no parsing beyond CSV, no
 *           normalisation, no indexes): the floor for "load these bytes into SQLite" here, now.
 *   first   Pawline's full import into an empty database (detection, decoding, normalisation,
 *           change detection, upserts, derived data, run record), in a child process set up
 *           like `npm run pawline -- import` (database, settings and importer; no messaging).
 *   again   the same files imported again into that database (unchanged: skipped by hash).
 * Each child reports its own wall time, CPU time and peak memory (VmHWM), so the numbers are
 * not polluted by this process. Medians over --runs rounds; numbers go to RESULTS.md by hand.
 * Targets: first <= 2x raw, again < 5% of first, peak memory < 300 MB.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(here), '../..');
const { values } = parseArgs({
  options: {
    data: { type: 'string', default: path.resolve(root, '../shared/data/larkspur/vetdata-pulse') },
    runs: { type: 'string', default: '3' },
    child: { type: 'string' },
    'data-dir': { type: 'string' },
    // Passed by `npm run bench -- --write`; this benchmark's numbers go to RESULTS.md by hand.
    write: { type: 'boolean', default: false },
  },
});

interface Measure {
  wallMs: number;
  cpuMs: number;
  peakRssMb?: number;
  rows?: number;
  status?: string;
}

/** Peak resident memory of this process so far (Linux VmHWM), in MB. */
function peakRssMb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : Math.round(process.resourceUsage().maxRSS / 1024);
}

/** CPU time (user + system) of waited-for children, from /proc/self/stat, in ms. */
function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // cutime and cstime are fields 16 and 17 of /proc/<pid>/stat (1-based), in clock ticks.
  const ticks = Number(fields[13]) + Number(fields[14]);
  return (ticks * 1000) / 100;
}

async function child(mode: string, dataDir: string): Promise<void> {
  // Exactly what `npm run pawline -- import` runs (see src-main/cli/commands/import.ts).
  const { openForImport } = await import('../../src-main/core/pims/standalone');
  const { silentLogger } = await import('../../src-main/core/shared/log');
  const core = openForImport(dataDir, silentLogger);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const s = await core.importer.run({ path: values.data! }, 'cli');
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  core.close();
  const out: Measure = { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, peakRssMb: peakRssMb(), rows: s.rowsRead, status: s.status };
  if (s.status === 'failed') throw new Error(`${mode}: ${s.error}`);
  process.stdout.write(JSON.stringify(out) + '\n');
}

function rawImport(dbDir: string): Measure {
  const files = readdirSync(values.data!).filter((f) => /\.csv$/i.test(f));
  const args = [path.join(dbDir, 'raw.sqlite3'), '.mode csv', ...files.map((f) => `.import '${path.join(values.data!, f).replace(/'/g, "''")}' t_${f.replace(/\W/g, '_')}`)];
  const c0 = childrenCpuMs();
  const t0 = performance.now();
  const r = spawnSync('sqlite3', args, { encoding: 'utf8' });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr || r.error}`);
  return { wallMs, cpuMs: childrenCpuMs() - c0 };
}

function pawline(mode: 'first' | 'again', dataDir: string): Measure {
  const r = spawnSync(process.execPath, ['--import', 'tsx', here, '--child', mode, '--data-dir', dataDir, '--data', values.data!], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${mode} import failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Measure;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${Math.round(x).toLocaleString('en-US')} ms`;

async function main(): Promise<void> {
  if (values.child) return child(values.child, values['data-dir']!);
  if (!existsSync(values.data!)) {
    process.stdout.write(`Skipped: ${values.data} is not here (the larkspur export lives in ../shared/data; pass --data DIR).\n`);
    return;
  }
  const runs = Number(values.runs);
  const rows: { raw: Measure; first: Measure; again: Measure }[] = [];
  for (let i = 0; i < runs; i++) {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'pawline-bench-import-'));
    try {
      const raw = rawImport(tmp);
      const first = pawline('first', path.join(tmp, 'data'));
      const again = pawline('again', path.join(tmp, 'data'));
      rows.push({ raw, first, again });
      process.stderr.write(`round ${i + 1}: raw ${ms(raw.wallMs)} (cpu ${ms(raw.cpuMs)}), first ${ms(first.wallMs)} (cpu ${ms(first.cpuMs)}, ${first.peakRssMb} MB), again ${ms(again.wallMs)} [${again.status}]\n`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  const m = (k: 'raw' | 'first' | 'again', f: 'wallMs' | 'cpuMs') => median(rows.map((r) => r[k][f]));
  const rawWall = m('raw', 'wallMs');
  const firstWall = m('first', 'wallMs');
  const againWall = m('again', 'wallMs');
  const rawCpu = m('raw', 'cpuMs');
  const firstCpu = m('first', 'cpuMs');
  const peak = Math.max(...rows.map((r) => r.first.peakRssMb ?? 0));
  const load = os.loadavg()[0].toFixed(1);
  const lines = [
    `Import benchmark: ${path.basename(values.data!)} (${rows[0].first.rows?.toLocaleString('en-US')} rows), median of ${runs} rounds, ${os.cpus().length} CPUs, load average ${load}`,
    '',
    '| | wall | CPU | vs raw (wall) | vs raw (CPU) |',
    '|---|---:|---:|---:|---:|',
    `| sqlite3 .import, raw untyped tables | ${ms(rawWall)} | ${ms(rawCpu)} | 1.00x | 1.00x |`,
    `| Pawline first import (empty db) | ${ms(firstWall)} | ${ms(firstCpu)} | ${(firstWall / rawWall).toFixed(2)}x | ${(firstCpu / rawCpu).toFixed(2)}x |`,
    `| Pawline re-import, unchanged | ${ms(againWall)} | ${ms(m('again', 'cpuMs'))} | ${(againWall / firstWall * 100).toFixed(1)}% of first | |`,
    '',
    `Peak memory of the first import (VmHWM): ${peak} MB.`,
    `Targets: first <= 2x raw (${(firstWall / rawWall).toFixed(2)}x wall, ${(firstCpu / rawCpu).toFixed(2)}x CPU); re-import < 5% of first (${(againWall / firstWall * 100).toFixed(1)}%); peak < 300 MB (${peak} MB).`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
