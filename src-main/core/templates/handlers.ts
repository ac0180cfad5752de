import type { Handlers, TemplateVariantDto } from '../../contract';
import type { SettingsStore } from '../settings/store';
import type { Clock } from '../shared/clock';
import { ApiError } from '../shared/errors';
import { estimateCost } from '../text';
import type { Lang } from './locale';
import { sampleContext } from './sample';
import type { TemplateStore } from './store';
import type { TemplateChannel } from './types';

type TemplateHandlers = Pick<Handlers, 'templates.list' | 'templates.get' | 'templates.save' | 'templates.reset' | 'templates.preview'>;

export function templateHandlers(store: TemplateStore, settings: SettingsStore, clock: Clock): TemplateHandlers {
  const get = (id: string, lang: Lang, channel: TemplateChannel): TemplateVariantDto | null => {
    const r = store.resolve(id, lang, channel);
    return r ? { id, lang, channel, custom: r.custom, effectiveLang: r.lang, subject: r.text.subject ?? null, body: r.text.body, html: r.text.html ?? null } : null;
  };
  return {
    'templates.list': () => store.list(),
    'templates.get': ({ id, lang, channel }) => get(id, lang, channel),
    'templates.save': (arg) => {
      store.save(arg);
      return get(arg.id, arg.lang, arg.channel)!;
    },
    'templates.reset': ({ id, lang, channel }) => {
      store.reset(id, lang, channel);
      return get(id, lang, channel);
    },
    'templates.preview': ({ id, text, lang, channel }) => {
      if (!id && !text) throw new ApiError('validation', 'Choose a template or write the text to preview.');
      const ctx = sampleContext(settings.clinic(), lang, clock.now());
      const r = store.render(text ?? id!, ctx, { lang, channel, optOut: channel === 'sms' });
      const price = settings.twilio()?.pricePerSegment ?? 0.0083;
      return { subject: r.subject, body: r.body, html: r.html, segments: r.segments, encoding: r.encoding, estCost: r.segments === null ? null : estimateCost(r.segments, price) };
    },
  };
}
