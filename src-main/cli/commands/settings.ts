/**
 * `pawline settings ...`: configure a data folder without the UI, for IT people and scripts.
 *
 *   settings show [--json]
 *   settings set <key> <value> [<key> <value> ...]
 *   settings set <secret-key> (--stdin | --from-env VAR)
 *   settings import <file.json>
 *   settings keys
 *
 * Every value goes through the Settings screen's own validation. Secrets come only from stdin or
 * an environment variable and are never printed.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createCore, type Core } from '../../core';
import { defaultDataDir } from '../../core/shared/data-dir';
import { createLogger, fileSink } from '../../core/shared/log';
import { draftPending, planSection, readDraft, shownValue, type Change, type SectionPlan } from '../settings/apply';
import { changesFromFile } from '../settings/import-file';
import { findKey, parseValue, SETTING_KEYS, type Section } from '../settings/keys';
import { readSecret, readStdinSecret } from '../settings/secret-input';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  readStdin(): Promise<string>;
}

export const processIo: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  env: process.env,
  readStdin: () => readStdinSecret(),
};

const SECTION_LABEL: Record<Section, string> = { clinic: 'Clinic profile', twilio: 'Texting (Twilio)', smtp: 'Email (SMTP)', general: 'General' };
const SECTIONS: Section[] = ['clinic', 'twilio', 'smtp', 'general'];

export const SETTINGS_USAGE = `Usage:
  pawline settings show [--json] [--data-dir DIR]
  pawline settings set <key> <value> [<key> <value> ...] [--data-dir DIR]
  pawline settings set <secret-key> --stdin | --from-env VAR [--data-dir DIR]
  pawline settings import <file.json> [--data-dir DIR]
  pawline settings keys

Secrets (twilio.authToken, twilio.apiKeySecret, smtp.password) are read from standard input or
an environment variable, never from the command line. A section may be set piece by piece: it is
kept as a draft, and used, once every required field is valid.
`;

class UsageError extends Error {}

function openCore(dataDir: string): Core {
  // The log goes to the data folder only: a script's stderr stays for what the user must read.
  return createCore({ dataDir, host: 'web', logger: createLogger(fileSink(dataDir, false)) });
}

function report(io: CliIo, plans: SectionPlan[]): number {
  let code = 0;
  for (const p of plans) {
    const label = SECTION_LABEL[p.section];
    const lines = (fields: Record<string, string>) =>
      Object.entries(fields)
        .map(([f, m]) => `  ${f === '_' ? p.section : `${p.section}.${f}`}: ${m}\n`)
        .join('');
    if (p.outcome === 'rejected') {
      code = 1;
      const n = Object.keys(p.errors).length;
      io.err(`${label}: not changed; ${n} value${n === 1 ? ' needs' : 's need'} attention:\n${lines(p.errors)}`);
    } else if (p.outcome === 'draft') {
      io.out(`${label}: kept as a draft (not in use until complete). Still needed:\n${lines(p.pending)}`);
    } else {
      io.out(`${label}: saved.\n`);
    }
  }
  return code;
}

async function commitAll(plans: SectionPlan[]): Promise<void> {
  for (const p of plans) await p.commit();
}

function groupBySection(changes: Change[]): Map<Section, Change[]> {
  const by = new Map<Section, Change[]>();
  for (const c of changes) by.set(c.def.section, [...(by.get(c.def.section) ?? []), c]);
  return by;
}

async function cmdSet(core: Core, positionals: string[], opts: { stdin: boolean; fromEnv?: string }, io: CliIo): Promise<number> {
  if (!positionals.length) throw new UsageError('settings set needs a key and a value.');
  const changes: Change[] = [];
  const bad: Record<string, string> = {};
  let secretKeys = 0;
  for (let i = 0; i < positionals.length; ) {
    const key = positionals[i]!;
    const def = findKey(key);
    if (!def) throw new UsageError(`Unknown setting "${key.slice(0, 60)}". See \`pawline settings keys\`.`);
    if (def.kind === 'secret') {
      // A value after a secret key would be the secret on the command line: refuse it unseen.
      const next = positionals[i + 1];
      if (next !== undefined && !findKey(next))
        throw new UsageError(`${key} is a secret: it is read from standard input (--stdin) or an environment variable (--from-env VAR), never from the command line.`);
      if (++secretKeys > 1) throw new UsageError('Set one secret per command.');
      const s = await readSecret({ stdin: opts.stdin, fromEnv: opts.fromEnv }, io.env, io.readStdin);
      if ('error' in s) throw new UsageError(`${key}: ${s.error}`);
      changes.push({ def, value: s.value });
      i += 1;
      continue;
    }
    const text = positionals[i + 1];
    if (text === undefined) throw new UsageError(`${key} needs a value (use '' to clear an optional one).`);
    const v = parseValue(def, text);
    if ('error' in v) bad[key] = v.error;
    else changes.push({ def, value: def.kind === 'folder' && typeof v.value === 'string' ? path.resolve(v.value) : v.value });
    i += 2;
  }
  if (!secretKeys && (opts.stdin || opts.fromEnv)) throw new UsageError('--stdin and --from-env go with a secret key (twilio.authToken, twilio.apiKeySecret, smtp.password).');
  return applyChanges(core, changes, bad, io);
}

async function applyChanges(core: Core, changes: Change[], bad: Record<string, string>, io: CliIo): Promise<number> {
  if (Object.keys(bad).length) {
    io.err(`Nothing was changed; ${Object.keys(bad).length === 1 ? 'this value needs' : 'these values need'} attention:\n`);
    for (const [k, m] of Object.entries(bad)) io.err(`  ${k}: ${m}\n`);
    return 1;
  }
  const plans = [...groupBySection(changes)].map(([section, cs]) => planSection(core, section, cs));
  // All or nothing: one refused section leaves every other section as it was.
  if (plans.some((p) => p.outcome === 'rejected')) {
    report(
      io,
      plans.filter((p) => p.outcome === 'rejected'),
    );
    if (plans.length > 1) io.err('Nothing was changed.\n');
    return 1;
  }
  await commitAll(plans);
  const code = report(io, plans);
  const folder = changes.find((c) => c.def.kind === 'folder')?.value;
  if (typeof folder === 'string' && !existsSync(folder)) io.out(`Note: ${folder} does not exist yet; Pawline watches it once it does.\n`);
  return code;
}

async function cmdImport(core: Core, positionals: string[], io: CliIo): Promise<number> {
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError('settings import needs exactly one JSON file.');
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const why = e instanceof SyntaxError ? `it is not valid JSON (${e.message})` : 'it could not be read';
    io.err(`Cannot import ${file}: ${why}.\n`);
    return 1;
  }
  const { changes, errors } = changesFromFile(doc, io.env);
  return applyChanges(core, changes, errors, io);
}

function cmdShow(core: Core, json: boolean, io: CliIo): number {
  const view = core.settings.view();
  const drafts: Record<string, { values: unknown; stillNeeded: Record<string, string> }> = {};
  for (const s of ['clinic', 'twilio', 'smtp'] as const) {
    const d = readDraft(core, s);
    if (d) drafts[s] = { values: d, stillNeeded: draftPending(core, s) ?? {} };
  }
  if (json) {
    // The view carries secrets only as {set: boolean}; drafts never hold secrets.
    io.out(JSON.stringify({ dataDir: core.dataDir, ...view, drafts }, null, 2) + '\n');
    return 0;
  }
  io.out(`Data folder: ${core.dataDir}\n`);
  for (const section of SECTIONS) {
    const saved = section === 'general' || view[section] !== null;
    const draft = drafts[section];
    const state = draft ? (saved ? 'saved; a draft with changes is pending' : 'draft only (not in use yet)') : saved ? 'saved' : 'not set up';
    io.out(`\n${SECTION_LABEL[section]}: ${state}\n`);
    for (const def of SETTING_KEYS.filter((d) => d.section === section)) {
      const v = shownValue(core, def);
      io.out(`  ${def.key.padEnd(30)} ${v.text}${v.draft ? '   (draft)' : ''}\n`);
    }
    if (draft && Object.keys(draft.stillNeeded).length) {
      io.out('  Still needed before the draft is used:\n');
      for (const [f, m] of Object.entries(draft.stillNeeded)) io.out(`    ${section}.${f}: ${m}\n`);
    }
  }
  return 0;
}

function cmdKeys(io: CliIo): number {
  for (const d of SETTING_KEYS) io.out(`${d.key.padEnd(30)} ${d.hint}\n`);
  return 0;
}

export async function settingsCommand(argv: string[], io: CliIo = processIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'data-dir': { type: 'string' },
        stdin: { type: 'boolean', default: false },
        'from-env': { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    io.err(`${e instanceof Error ? e.message : String(e)}\n\n${SETTINGS_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [sub, ...rest] = positionals;
  if (values.help || !sub) {
    io.out(SETTINGS_USAGE);
    return sub || values.help ? 0 : 2;
  }
  if (sub === 'keys') return cmdKeys(io);
  if (!['show', 'set', 'import'].includes(sub)) {
    io.err(`Unknown settings command "${sub.slice(0, 40)}".\n\n${SETTINGS_USAGE}`);
    return 2;
  }
  const dataDir = path.resolve(values['data-dir'] ?? defaultDataDir());
  let core: Core | null = null;
  try {
    core = openCore(dataDir);
    if (sub === 'show') return cmdShow(core, values.json, io);
    if (sub === 'set') return await cmdSet(core, rest, { stdin: values.stdin, fromEnv: values['from-env'] }, io);
    return await cmdImport(core, rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${e.message}\n`);
      return 2;
    }
    // Core errors are written for people; anything else is reported by class only (it may carry data).
    io.err(`${e instanceof Error && e.name !== 'Error' ? `Failed (${e.name}).` : e instanceof Error ? e.message : 'Failed.'}\n`);
    return 1;
  } finally {
    await core?.close();
  }
}
