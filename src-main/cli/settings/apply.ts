/**
 * Applies `settings set` / `settings import` changes to one section at a time.
 *
 * A section may be configured piece by piece (clinic name today, the address tomorrow): the
 * values given so far are kept as a draft document until the whole section passes the same
 * zod schema the Settings screen uses; then it is saved through the same API handler and the
 * draft disappears. Secrets never enter a draft: they go straight to the encrypted store.
 * A value that is itself wrong is refused (nothing written); fields merely not given yet are
 * listed as still needed.
 */
import type { z } from 'zod';
import { DEFAULT_OPENING_HOURS, DEFAULT_QUIET_HOURS } from '../../contract';
import type { Core } from '../../core';
import { clinicSchema, generalSchema, smtpSchema, twilioSchema } from '../../core/settings/schema';
import { getPath, secretName, setPath, type KeyDef, type Section } from './keys';

export interface Change {
  def: KeyDef;
  value: unknown;
}

export type Outcome = 'saved' | 'draft' | 'rejected';

export interface SectionPlan {
  section: Section;
  outcome: Outcome;
  /** Problems with the values given now: the change is refused. */
  errors: Record<string, string>;
  /** Fields still missing or inconsistent; the section stays a draft until they are fixed. */
  pending: Record<string, string>;
  /** Writes the plan (no-op when rejected). */
  commit(): Promise<void>;
}

const BLANK = {
  clinic: {
    name: '',
    address: { line1: '', city: '', region: '', postalCode: '', country: 'US' },
    phone: '',
    email: '',
    timeZone: '',
    openingHours: DEFAULT_OPENING_HOURS,
    quietHours: DEFAULT_QUIET_HOURS,
  },
  twilio: { accountSid: '', authMode: 'token', apiKeySid: '', fromNumber: '', messagingServiceSid: '', senderType: 'long-code', customRate: 1, pricePerSegment: 0.0083, baseUrl: '' },
  smtp: { host: '', port: 587, security: 'starttls', user: '', fromName: '', fromAddress: '', replyTo: '' },
} as const;

type DocSection = keyof typeof BLANK;

const SCHEMAS: Record<DocSection, z.ZodType> = { clinic: clinicSchema, twilio: twilioSchema, smtp: smtpSchema };
const SAVE_METHOD = { clinic: 'settings.saveClinic', twilio: 'settings.saveTwilio', smtp: 'settings.saveSmtp' } as const;
const SECRET_PATHS: Record<DocSection, string[]> = { clinic: [], twilio: ['authToken', 'apiKeySecret'], smtp: ['password'] };

export const draftKey = (section: Section) => `cli.draft.${section}`;

/** The draft document of a section, when one is pending. */
export function readDraft(core: Core, section: Section): Record<string, unknown> | null {
  return core.settings.getDoc<Record<string, unknown>>(draftKey(section));
}

function stripSecrets(section: DocSection, doc: Record<string, unknown>): Record<string, unknown> {
  const out = { ...doc };
  for (const p of SECRET_PATHS[section]) delete out[p];
  return out;
}

/** What the section looks like now: the draft if any, else the saved settings, else blanks. */
export function currentDoc(core: Core, section: DocSection): Record<string, unknown> {
  const draft = readDraft(core, section);
  if (draft) return draft;
  const saved = core.settings.getDoc<Record<string, unknown>>(section);
  return saved ? stripSecrets(section, saved) : structuredClone(BLANK[section]) as Record<string, unknown>;
}

function issuesOf(schema: z.ZodType, input: unknown): Record<string, string> {
  const r = schema.safeParse(input);
  const out: Record<string, string> = {};
  if (!r.success) for (const i of r.error.issues) out[i.path.join('.') || '_'] ??= i.message;
  return out;
}

const touches = (issuePath: string, changed: string) => issuePath === changed || issuePath.startsWith(changed + '.') || changed.startsWith(issuePath + '.');

/** Splits field problems into those caused by the given values and those still open elsewhere. */
function classify(issues: Record<string, string>, changedPaths: string[]) {
  const errors: Record<string, string> = {};
  const pending: Record<string, string> = {};
  for (const [p, m] of Object.entries(issues)) (changedPaths.some((c) => touches(p, c)) ? errors : pending)[p] = m;
  return { errors, pending };
}

/** Twilio needs the secret of its sign-in mode; the schema leaves that to the save handler. */
function twilioSecretIssue(doc: Record<string, unknown>, secrets: Record<string, string | null>): Record<string, string> {
  if (doc.authMode === 'apiKey') return secrets.apiKeySecret ? {} : { apiKeySecret: 'Enter the API key secret (settings set twilio.apiKeySecret --stdin)' };
  return secrets.authToken ? {} : { authToken: 'Enter the Auth Token (settings set twilio.authToken --stdin)' };
}

export function planSection(core: Core, section: Section, changes: Change[]): SectionPlan {
  if (section === 'general') return planGeneral(core, changes);
  const plain = changes.filter((c) => c.def.kind !== 'secret');
  const secretChanges = changes.filter((c) => c.def.kind === 'secret');
  let doc = currentDoc(core, section);
  for (const c of plain) doc = setPath(doc, c.def.path, c.value);
  const secrets: Record<string, string | null> = {};
  for (const p of SECRET_PATHS[section]) secrets[p] = core.settings.getSecret(`${section}.${p}`);
  for (const c of secretChanges) secrets[c.def.path] = c.value as string;

  const withSecrets = { ...doc, ...Object.fromEntries(Object.entries(secrets).filter(([, v]) => v)) };
  const issues = issuesOf(SCHEMAS[section], withSecrets);
  if (section === 'twilio') Object.assign(issues, twilioSecretIssue(doc, secrets));
  const { errors, pending } = classify(
    issues,
    changes.map((c) => c.def.path),
  );
  const nothing = async () => {};
  if (Object.keys(errors).length) return { section, outcome: 'rejected', errors, pending, commit: nothing };
  if (Object.keys(pending).length) {
    return {
      section,
      outcome: 'draft',
      errors,
      pending,
      commit: async () => {
        core.settings.setDoc(draftKey(section), doc);
        for (const c of secretChanges) core.settings.setSecret(secretName(c.def), c.value as string);
      },
    };
  }
  return {
    section,
    outcome: 'saved',
    errors,
    pending,
    commit: async () => {
      // Secrets ride along explicitly: a section saved for the first time has no stored doc
      // the handler could fall back on.
      const input = { ...doc, ...Object.fromEntries(secretChanges.map((c) => [c.def.path, c.value])) };
      if (section === 'twilio') {
        const mode = doc.authMode === 'apiKey' ? 'apiKeySecret' : 'authToken';
        (input as Record<string, unknown>)[mode] ??= secrets[mode];
      }
      const r = await core.invoke(SAVE_METHOD[section], input);
      if (!r.ok) throw new Error(r.error.message);
      core.settings.setDoc(draftKey(section), null);
    },
  };
}

function planGeneral(core: Core, changes: Change[]): SectionPlan {
  const patch: Record<string, unknown> = {};
  for (const c of changes) patch[c.def.path] = c.value;
  const errors = issuesOf(generalSchema, patch);
  const rejected = Object.keys(errors).length > 0;
  return {
    section: 'general',
    outcome: rejected ? 'rejected' : 'saved',
    errors,
    pending: {},
    commit: async () => {
      if (rejected) return;
      const r = await core.invoke('settings.saveGeneral', patch);
      if (!r.ok) throw new Error(r.error.message);
    },
  };
}

/** Values shown by `settings show`: the pending draft wins over what is saved. */
export function shownValue(core: Core, def: KeyDef): { text: string; draft: boolean } {
  if (def.kind === 'secret') return { text: core.settings.getSecret(secretName(def)) ? '(set)' : '(not set)', draft: false };
  if (def.section === 'general') {
    const g = core.settings.view();
    const v = def.path === 'exportFolder' ? g.exportFolder : def.path === 'planTime' ? g.planTime : g.setupComplete;
    return { text: v === null ? '(none)' : String(v), draft: false };
  }
  const draft = readDraft(core, def.section);
  const saved = core.settings.getDoc<Record<string, unknown>>(def.section);
  const v = getPath(draft ?? saved ?? {}, def.path);
  let text: string;
  if (def.kind === 'hours') text = v === null ? 'closed' : v && typeof v === 'object' ? `${(v as { open: string }).open}-${(v as { close: string }).close}` : '(not set)';
  else text = v === undefined || v === '' ? '(not set)' : String(v);
  return { text, draft: !!draft && JSON.stringify(getPath(saved ?? {}, def.path)) !== JSON.stringify(v) };
}

/** What a pending draft still needs, for `settings show`. */
export function draftPending(core: Core, section: DocSection): Record<string, string> | null {
  const draft = readDraft(core, section);
  if (!draft) return null;
  return planSection(core, section, []).pending;
}
