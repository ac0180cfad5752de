/**
 * Builds resources/demo/: a small Covetrus Pulse export (about 60 households, 90 pets) sampled
 * deterministically from the Larkspur Hollow data set, for `npm run demo`.
 *
 *   npx tsx scripts/make-demo-export.ts [--source ../shared/data/larkspur/vetdata-pulse] [--as-of 2026-12-01] [--out resources/demo]
 *
 * Rows are copied as they are in the source (real pet names, the export's own quirks); dates
 * stay relative to --as-of, and the demo moves them to "today" when it starts. The sample mixes
 * households with services coming due, appointments today and in the next days, and the cases
 * the product must handle (opted out of texts, email only, no digital channel, a deceased pet,
 * an inactive household). Phones are checked to be fictional 555-01XX numbers and emails to use
 * example.* domains; a cell number already used by another sampled household gets a fresh one,
 * so "text as an owner" in the demo reaches exactly one household.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { col, parseRawCsv, quote, unquote, writeRawCsv, type RawCsv } from '../src-main/host-web/demo-clinic/csv';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    source: { type: 'string', default: path.resolve(root, '../shared/data/larkspur/vetdata-pulse') },
    'as-of': { type: 'string', default: '2026-12-01' },
    out: { type: 'string', default: path.join(root, 'resources/demo') },
    seed: { type: 'string', default: '2026' },
  },
});

const asOf = DateTime.fromISO(values['as-of']!, { zone: 'utc' });
if (!asOf.isValid) throw new Error(`--as-of must be a date like 2026-12-01`);
const FILES = ['Client.csv', 'Patient.csv', 'Reminders.csv', 'RemCodes.csv', 'History.csv', 'Appointments.csv'] as const;
const src = Object.fromEntries(FILES.map((f) => [f, parseRawCsv(readFileSync(path.join(values.source!, f), 'utf8'))])) as Record<(typeof FILES)[number], RawCsv>;

/** Mulberry32: small, seeded, the same sample on every machine. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(Number(values.seed));
function pick<T>(items: T[], n: number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a.slice(0, n);
}

const get = (csv: RawCsv, row: string[], name: string) => unquote(row[col(csv, name)] ?? '').trim();
const dayOf = (text: string) => {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})/.exec(text);
  return m ? Math.round(DateTime.fromObject({ year: +m[3]!, month: +m[1]!, day: +m[2]! }, { zone: 'utc' }).diff(asOf, 'days').days) : null;
};
const isTrue = (v: string) => /^(true|y|yes|1)$/i.test(v);

const C = src['Client.csv'];
const P = src['Patient.csv'];
const R = src['Reminders.csv'];
const A = src['Appointments.csv'];
const H = src['History.csv'];

const clientRow = new Map(C.rows.map((r) => [get(C, r, 'AccountId'), r]));
const petsOf = new Map<string, string[][]>();
for (const r of P.rows) petsOf.set(get(P, r, 'ClientAccountId'), [...(petsOf.get(get(P, r, 'ClientAccountId')) ?? []), r]);
const petOwner = new Map(P.rows.map((r) => [get(P, r, 'AccountId'), get(P, r, 'ClientAccountId')]));
const petRow = new Map(P.rows.map((r) => [get(P, r, 'AccountId'), r]));

const cellOf = (r: string[]) => [1, 2, 3].some((n) => /cell|mobile/i.test(get(C, r, `PhoneType${n}`)) && get(C, r, `Phone${n}AsIs`));
const emailOf = (r: string[]) => get(C, r, 'Email').includes('@');
const active = (r: string[]) => !isTrue(get(C, r, 'flgInactive'));
const smallHousehold = (id: string) => (petsOf.get(id)?.length ?? 0) <= 3;
const sorted = (ids: Iterable<string>) => [...new Set(ids)].sort((a, b) => Number(a) - Number(b));

// Households with appointments today, tomorrow and the day after (future ones, still to confirm).
const apptClients = sorted(
  A.rows.filter((r) => [0, 1, 2].includes(dayOf(get(A, r, 'StartDateTime')) ?? -99) && /scheduled|confirmed/i.test(get(A, r, 'Status'))).map((r) => get(A, r, 'ClientAccountId')),
).filter((id) => clientRow.has(id) && smallHousehold(id) && cellOf(clientRow.get(id)!));

// Households with a living pet whose service falls due within three weeks either side of the as-of date.
const dueClients = sorted(
  R.rows
    .filter((r) => {
      const d = dayOf(get(R, r, 'DueDate'));
      const pet = petRow.get(get(R, r, 'PatientAccountId'));
      return d !== null && d >= -21 && d <= 21 && pet && !isTrue(get(P, pet, 'flgDeceased'));
    })
    .map((r) => petOwner.get(get(R, r, 'PatientAccountId'))!),
).filter((id) => clientRow.has(id) && smallHousehold(id) && active(clientRow.get(id)!));

const chosen = new Set<string>();
const take = (ids: string[], n: number) => pick(ids.filter((id) => !chosen.has(id)), n).forEach((id) => chosen.add(id));

take(apptClients, 14);
take(dueClients.filter((id) => cellOf(clientRow.get(id)!)), 32);
take(dueClients.filter((id) => !cellOf(clientRow.get(id)!) && emailOf(clientRow.get(id)!)), 4); // email only
take(dueClients.filter((id) => !cellOf(clientRow.get(id)!) && !emailOf(clientRow.get(id)!)), 2); // postcard
take(dueClients.filter((id) => isTrue(get(C, clientRow.get(id)!, 'DoNotText'))), 2); // opted out of texts
const withDeceased = sorted(
  R.rows.filter((r) => Math.abs(dayOf(get(R, r, 'DueDate')) ?? 99) <= 21 && isTrue(get(P, petRow.get(get(R, r, 'PatientAccountId')) ?? [], 'flgDeceased'))).map((r) => petOwner.get(get(R, r, 'PatientAccountId'))!),
).filter((id) => clientRow.has(id) && smallHousehold(id) && cellOf(clientRow.get(id)!));
take(withDeceased, 2);
take(sorted(C.rows.filter((r) => !active(r)).map((r) => get(C, r, 'AccountId'))).filter((id) => (petsOf.get(id)?.length ?? 0) === 1), 2);
take(dueClients.filter((id) => cellOf(clientRow.get(id)!)), 60 - chosen.size);

const clients = sorted(chosen);
const pets = new Set(clients.flatMap((id) => (petsOf.get(id) ?? []).map((r) => get(P, r, 'AccountId'))));

// ---- fictional contact data, one household per cell number ----
const FICTIONAL = /^(.*?)(555)([\s.-]?)(01\d\d)(.*)$/;
const usedNumbers = new Set<string>();
const digits = (s: string) => s.replace(/\D/g, '').replace(/^1(?=\d{10})/, '').slice(0, 10);
let nextFree = 0;
function fictional(raw: string): string {
  const m = FICTIONAL.exec(raw);
  const area = digits(raw).slice(0, 3) || '206';
  if (m && !usedNumbers.has(digits(raw))) {
    usedNumbers.add(digits(raw));
    return raw;
  }
  // Another household already has this number (or it is not a 555-01XX number): give a free one.
  for (; nextFree < 100; nextFree++) {
    const candidate = `${area}55501${String(nextFree).padStart(2, '0')}`;
    if (usedNumbers.has(candidate)) continue;
    usedNumbers.add(candidate);
    return `(${area}) 555-01${String(nextFree).padStart(2, '0')}`;
  }
  throw new Error('ran out of fictional numbers');
}
const fixEmail = (raw: string) => (raw.includes('@') && !/@example\.(com|org|net)\s*$/i.test(raw) ? raw.replace(/@.*$/, '@example.com') : raw);

const clientRows = clients.map((id) => {
  const row = [...clientRow.get(id)!];
  for (const n of [1, 2, 3]) {
    const i = col(C, `Phone${n}AsIs`);
    const v = unquote(row[i] ?? '');
    if (v.trim()) row[i] = quote(fictional(v));
  }
  const e = col(C, 'Email');
  const email = unquote(row[e] ?? '');
  if (email !== fixEmail(email)) row[e] = quote(fixEmail(email));
  return row;
});

const inWindow = (text: string, from: number, to: number) => {
  const d = dayOf(text);
  return d !== null && d >= from && d <= to;
};
const out: Record<(typeof FILES)[number], string[][]> = {
  'Client.csv': clientRows,
  'Patient.csv': P.rows.filter((r) => pets.has(get(P, r, 'AccountId'))),
  'Reminders.csv': R.rows.filter((r) => pets.has(get(R, r, 'PatientAccountId'))),
  'RemCodes.csv': src['RemCodes.csv'].rows,
  'History.csv': H.rows.filter((r) => pets.has(get(H, r, 'PatientAccountId'))),
  // A week back (the history of the schedule) and two weeks ahead.
  'Appointments.csv': A.rows.filter((r) => chosen.has(get(A, r, 'ClientAccountId')) && inWindow(get(A, r, 'StartDateTime'), -7, 14)),
};

mkdirSync(values.out!, { recursive: true });
for (const f of FILES) writeFileSync(path.join(values.out!, f), writeRawCsv({ ...src[f], rows: out[f] }));
const manifest = {
  description: 'Demo clinic export (Covetrus Pulse layout) sampled from the Larkspur Hollow data set by scripts/make-demo-export.ts. Dates are relative to asOf; `npm run demo` moves them to today.',
  asOf: values['as-of'],
  seed: Number(values.seed),
  counts: Object.fromEntries(FILES.map((f) => [f, out[f].length])),
};
writeFileSync(path.join(values.out!, 'demo.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log(`Wrote ${values.out}: ${FILES.map((f) => `${f} ${out[f].length}`).join(', ')}`);
