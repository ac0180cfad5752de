import type { ReplyTemplate } from '../../contract';
import type { Db } from '../db/open';
import type { SettingsStore } from '../settings/store';
import type { Clock } from '../shared/clock';
import { createTemplateStore, toLang } from '../templates';
import { joinNames } from './format';

/**
 * Merge fields staff may type or insert: {{client.firstName}}, {{client.lastName}}, {{pet.name}},
 * {{pets}}, {{clinic.name}}, {{clinic.phone}}, {{appointment.time}}. Plain substitution (no HTML
 * escaping: this is SMS), unknown names left visible so the composer can point at them.
 */
export const MERGE_FIELDS = ['client.firstName', 'client.lastName', 'pet.name', 'pets', 'clinic.name', 'clinic.phone', 'appointment.time'] as const;
export type MergeValues = Partial<Record<(typeof MERGE_FIELDS)[number], string | null>>;

const FIELD = /\{\{\s*([A-Za-z.]+)\s*\}\}/g;

export function renderMerge(body: string, values: MergeValues): { text: string; missing: string[] } {
  const missing = new Set<string>();
  const text = body.replace(FIELD, (whole, name: string) => {
    const v = (values as Record<string, string | null | undefined>)[name];
    if (v === undefined || v === null || v === '') {
      missing.add(name);
      return whole;
    }
    return v;
  });
  return { text, missing: [...missing] };
}

/** Built-in reply templates; the clinic edits or adds its own as kind 'reply' in the shared template store. */
export const DEFAULT_REPLY_TEMPLATES: ReplyTemplate[] = [
  { id: 'reply.thanks', name: 'Thanks', body: 'Thanks, {{client.firstName}}! - {{clinic.name}}' },
  { id: 'reply.call-us', name: 'Please call us', body: 'Hi {{client.firstName}}, please call us at {{clinic.phone}} when you have a moment. - {{clinic.name}}' },
  { id: 'reply.book', name: 'Book a visit', body: 'Hi {{client.firstName}}, we would be happy to book {{pet.name}} in. Reply with a day and time that suits you, or call {{clinic.phone}}. - {{clinic.name}}' },
  { id: 'reply.photo', name: 'Photo received', body: 'Thanks for the photo, {{client.firstName}}. The doctor will take a look and we will get back to you shortly. - {{clinic.name}}' },
  { id: 'reply.come-in', name: 'Come in now', body: '{{clinic.name}}: We are ready for {{pet.name}}! Please come in now.' },
  { id: 'reply.ready', name: 'Ready for pickup', body: '{{clinic.name}}: {{pet.name}} is ready to go home. Come to the front door whenever you are ready.' },
  { id: 'reply.running-late', name: 'Running late', body: '{{clinic.name}}: We are running about 15 minutes behind today. Thank you for your patience!' },
];

/**
 * Reply templates: the shared template store's SMS templates of kind 'reply' (the clinic's own,
 * in the client's language when one exists), then the built-ins the clinic has not replaced.
 */
export function replyTemplates(db: Db, clock: Clock, lang: string = 'en'): ReplyTemplate[] {
  const store = createTemplateStore(db, clock);
  const l = toLang(lang);
  const own: ReplyTemplate[] = [];
  for (const t of store.list()) {
    if (t.kind !== 'reply' || !t.variants.some((v) => v.channel === 'sms')) continue;
    const r = store.resolve(t.id, l, 'sms');
    if (r) own.push({ id: t.id, name: t.label, body: r.text.body });
  }
  const ids = new Set(own.map((t) => t.id));
  return [...own, ...DEFAULT_REPLY_TEMPLATES.filter((t) => !ids.has(t.id))];
}

/** Values for one household (and optionally one appointment's pet and time). */
export function mergeValuesFor(
  db: Db,
  settings: SettingsStore,
  clientId: number | null,
  appointment?: { petName: string | null; time: string | null },
): MergeValues {
  const clinic = settings.clinic();
  const values: MergeValues = { 'clinic.name': clinic?.name ?? null, 'clinic.phone': clinic?.phone ?? null };
  if (clientId !== null) {
    const k = db.prepare<[number], { first_name: string | null; last_name: string | null }>('SELECT first_name, last_name FROM clients WHERE id = ?').get(clientId);
    const pets = db
      .prepare<[number], { name: string }>('SELECT name FROM patients WHERE client_id = ? AND gone = 0 AND deceased = 0 AND active = 1 AND name IS NOT NULL ORDER BY id')
      .all(clientId)
      .map((p) => p.name);
    values['client.firstName'] = k?.first_name ?? null;
    values['client.lastName'] = k?.last_name ?? null;
    values.pets = pets.length ? joinNames(pets) : null;
    values['pet.name'] = pets.length === 1 ? pets[0]! : pets.length ? joinNames(pets) : null;
  }
  if (appointment) {
    if (appointment.petName) values['pet.name'] = appointment.petName;
    values['appointment.time'] = appointment.time;
  }
  return values;
}
