/**
 * Reads a settings file for `pawline settings import`. The shape is the Settings screen's
 * (clinic, twilio, smtp, general; `settings show --json` output is accepted too), except that a
 * secret may only be a reference to an environment variable: {"authToken": {"env": "TWILIO_AUTH_TOKEN"}}.
 * A file in a repository or a ticket must never carry a password.
 */
import { SETTING_KEYS, parseValue, type KeyDef } from './keys';
import type { Change } from './apply';

export interface FileChanges {
  changes: Change[];
  /** Problems by full key ('twilio.authToken', 'clinic.foo'). */
  errors: Record<string, string>;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** settings show --json prints these at the top level (as the UI's view does). */
const TOP_LEVEL_GENERAL = ['exportFolder', 'planTime', 'setupComplete'];

function valueFor(def: KeyDef, raw: unknown, env: NodeJS.ProcessEnv): { value: unknown } | { error: string } | { skip: true } {
  if (def.kind === 'secret') {
    // {set: true} is how `settings show --json` prints a stored secret: keep it as it is.
    if (isObject(raw) && typeof raw.set === 'boolean' && Object.keys(raw).length === 1) return { skip: true };
    if (isObject(raw) && typeof raw.env === 'string' && Object.keys(raw).length === 1) {
      const v = env[raw.env];
      if (v === undefined || v === '') return { error: `The environment variable ${raw.env} is not set (or empty)` };
      return { value: v.replace(/\r?\n$/, '') };
    }
    return { error: `Secrets may not be written in the file; use {"env": "VARIABLE_NAME"} and set that variable` };
  }
  if (def.kind === 'hours') {
    if (raw === null) return { value: null };
    if (typeof raw === 'string') return parseValue(def, raw);
    if (isObject(raw)) return { value: raw };
    return { error: "Write opening hours as {\"open\": \"08:00\", \"close\": \"18:00\"}, '08:00-18:00' or null (closed)" };
  }
  if (def.kind === 'folder') return raw === null ? { value: null } : typeof raw === 'string' ? parseValue(def, raw) : { error: 'Write the folder as a string, or null' };
  if (def.kind === 'number') return typeof raw === 'number' ? { value: raw } : typeof raw === 'string' ? parseValue(def, raw) : { error: 'Enter a number' };
  if (def.kind === 'boolean') return typeof raw === 'boolean' ? { value: raw } : { error: 'Enter true or false' };
  return typeof raw === 'string' ? { value: raw } : { error: 'Enter text (in double quotes)' };
}

export function changesFromFile(doc: unknown, env: NodeJS.ProcessEnv = process.env): FileChanges {
  const changes: Change[] = [];
  const errors: Record<string, string> = {};
  if (!isObject(doc)) return { changes, errors: { _: 'The file must hold one JSON object with clinic, twilio, smtp and/or general sections' } };

  const byKey = new Map(SETTING_KEYS.map((d) => [d.key, d]));
  const visit = (node: unknown, prefix: string) => {
    const def = byKey.get(prefix);
    if (def) {
      const r = valueFor(def, node, env);
      if ('error' in r) errors[prefix] = r.error;
      else if ('value' in r) changes.push({ def, value: r.value });
      return;
    }
    if (isObject(node) && prefix.split('.').length < 4) {
      for (const [k, v] of Object.entries(node)) visit(v, `${prefix}.${k}`);
      return;
    }
    // Read-only parts of the view (e.g. the Twilio view's derived fields) are not settings.
    errors[prefix] = 'Unknown setting (see `pawline settings keys`)';
  };

  for (const [top, v] of Object.entries(doc)) {
    if (TOP_LEVEL_GENERAL.includes(top)) visit(v, `general.${top}`);
    else if (['clinic', 'twilio', 'smtp', 'general'].includes(top)) {
      if (v === null) continue; // `settings show --json` prints null for a section not set up
      if (!isObject(v)) errors[top] = 'Expected an object';
      else for (const [k, x] of Object.entries(v)) visit(x, `${top}.${k}`);
    } else if (top !== 'dataDir' && top !== 'drafts') errors[top] = 'Unknown section (expected clinic, twilio, smtp or general)';
  }
  return { changes, errors };
}
