import type { Db } from '../db/open';
import type { Clock } from '../shared/clock';
import { ApiError } from '../shared/errors';
import { DEFAULT_TEMPLATES } from './defaults';
import { LANGS, type Lang } from './locale';
import { checkTemplateSyntax, renderVariant, type RenderOptions } from './render';
import type { MessageContext, RenderedMessage, TemplateChannel, TemplateKind, TemplateText } from './types';

export interface TemplateVariantInfo {
  lang: Lang;
  channel: TemplateChannel;
  /** The clinic changed (or wrote) this variant. */
  custom: boolean;
}

export interface TemplateInfo {
  id: string;
  kind: TemplateKind;
  label: string;
  /** Pawline ships this template (it can be reset, not deleted). */
  builtIn: boolean;
  variants: TemplateVariantInfo[];
}

export interface ResolvedTemplate {
  text: TemplateText;
  /** The language actually used: a missing fr/es variant falls back to en. */
  lang: Lang;
  custom: boolean;
}

export interface SaveTemplateInput extends TemplateText {
  id: string;
  lang: Lang;
  channel: TemplateChannel;
  kind?: TemplateKind;
  label?: string;
}

/**
 * Templates for every domain: the defaults in code overlaid with the clinic's edits. Lookups
 * are in memory (the planner renders thousands per run); edits write through.
 */
export interface TemplateStore {
  list(): TemplateInfo[];
  resolve(id: string, lang: Lang, channel: TemplateChannel): ResolvedTemplate | null;
  save(input: SaveTemplateInput): void;
  /** Drops the clinic's edit (built-in) or the clinic's template variant. */
  reset(id: string, lang: Lang, channel: TemplateChannel): void;
  /** Renders a stored template, or literal text, for one recipient. */
  render(template: string | TemplateText, ctx: MessageContext, opts: RenderOptions): RenderedMessage;
}

interface Row {
  id: string;
  lang: Lang;
  channel: TemplateChannel;
  kind: TemplateKind;
  label: string | null;
  subject: string | null;
  body: string;
  html: string | null;
}

const key = (id: string, lang: string, channel: string) => `${id}|${lang}|${channel}`;

/**
 * The clinic's templates, cached per database: every store on one database (planner, inbox,
 * campaigns) sees an edit at once without querying per message.
 */
const caches = new WeakMap<Db, { rows: Map<string, Row> | null }>();

export function createTemplateStore(db: Db, clock: Clock): TemplateStore {
  const all = db.prepare<[], Row>('SELECT id, lang, channel, kind, label, subject, body, html FROM message_templates');
  const upsert = db.prepare(`INSERT INTO message_templates (id, lang, channel, kind, label, subject, body, html, updated_at) VALUES (@id, @lang, @channel, @kind, @label, @subject, @body, @html, @now)
    ON CONFLICT(id, lang, channel) DO UPDATE SET kind = excluded.kind, label = excluded.label, subject = excluded.subject, body = excluded.body, html = excluded.html, updated_at = excluded.updated_at`);
  const del = db.prepare('DELETE FROM message_templates WHERE id = ? AND lang = ? AND channel = ?');
  const defaults = new Map(DEFAULT_TEMPLATES.map((t) => [t.id, t]));

  let cache = caches.get(db);
  if (!cache) {
    cache = { rows: null };
    caches.set(db, cache);
  }
  const shared = cache;
  const rows = (): Map<string, Row> => (shared.rows ??= new Map(all.all().map((r) => [key(r.id, r.lang, r.channel), r])));
  const load = () => {
    shared.rows = null;
  };

  const one = (id: string, lang: Lang, channel: TemplateChannel): ResolvedTemplate | null => {
    const c = rows().get(key(id, lang, channel));
    if (c) return { text: { subject: c.subject, body: c.body, html: c.html }, lang, custom: true };
    const d = defaults.get(id)?.variants[lang]?.[channel];
    return d ? { text: d, lang, custom: false } : null;
  };

  const resolve: TemplateStore['resolve'] = (id, lang, channel) => one(id, lang, channel) ?? (lang === 'en' ? null : one(id, 'en', channel));

  return {
    list() {
      const ids = new Map<string, TemplateInfo>();
      for (const t of DEFAULT_TEMPLATES) {
        const variants: TemplateVariantInfo[] = [];
        for (const lang of LANGS)
          for (const channel of Object.keys(t.variants[lang] ?? {}) as TemplateChannel[]) variants.push({ lang, channel, custom: rows().has(key(t.id, lang, channel)) });
        ids.set(t.id, { id: t.id, kind: t.kind, label: t.label, builtIn: true, variants });
      }
      for (const r of rows().values()) {
        let info = ids.get(r.id);
        if (!info) {
          info = { id: r.id, kind: r.kind, label: r.label ?? r.id, builtIn: false, variants: [] };
          ids.set(r.id, info);
        }
        if (!info.variants.some((v) => v.lang === r.lang && v.channel === r.channel)) info.variants.push({ lang: r.lang, channel: r.channel, custom: true });
      }
      return [...ids.values()];
    },
    resolve,
    save(input) {
      if (!/^[a-z0-9][a-z0-9._-]{1,63}$/.test(input.id)) throw new ApiError('validation', 'A template id uses lower-case letters, digits, dots and dashes, e.g. reply.running-late.', { id: 'Use lower-case letters, digits, dots and dashes' });
      if (!LANGS.includes(input.lang)) throw new ApiError('validation', 'Templates exist in en, fr and es.', { lang: 'Choose en, fr or es' });
      if (!input.body || !input.body.trim()) throw new ApiError('validation', 'The template text is empty.', { body: 'Write the message text' });
      checkTemplateSyntax(input.body);
      if (input.subject) checkTemplateSyntax(input.subject);
      if (input.html) checkTemplateSyntax(input.html);
      if (input.channel === 'email' && !input.subject?.trim()) throw new ApiError('validation', 'An email template needs a subject.', { subject: 'Write the subject line' });
      const builtIn = defaults.get(input.id);
      upsert.run({
        id: input.id,
        lang: input.lang,
        channel: input.channel,
        kind: builtIn?.kind ?? input.kind ?? 'other',
        label: builtIn?.label ?? input.label ?? null,
        subject: input.subject ?? null,
        body: input.body,
        html: input.html ?? null,
        now: clock.now().toISOString(),
      });
      load();
    },
    reset(id, lang, channel) {
      del.run(id, lang, channel);
      load();
    },
    render(template, ctx, opts) {
      if (typeof template !== 'string') return renderVariant(null, template, ctx, opts);
      const t = resolve(template, opts.lang, opts.channel);
      if (!t) throw new ApiError('template.missing', `There is no ${opts.channel} template "${template}". Choose another template or write one in Settings > Templates.`);
      return renderVariant(template, t.text, ctx, { ...opts, lang: t.lang });
    },
  };
}
