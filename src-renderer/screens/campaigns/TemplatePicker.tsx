import { Button, Field, Select, Text } from '@fluentui/react-components';
import { useState } from 'react';
import type { CampaignContent, CampaignKind, CampaignLang } from '../../../src-main/contract';
import { useApi, useQuery } from '../../api/context';
import { CallError } from '../../api/transport';

const LANGS: CampaignLang[] = ['en', 'fr', 'es'];

const slug = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40) || 'untitled';

/**
 * Campaign texts live in the clinic's shared template store (the same one reminders and replies
 * use): start from an alert or campaign template, or keep this campaign's texts as one.
 */
export function TemplatePicker({ kind, name, content, onLoad }: { kind: CampaignKind; name: string; content: CampaignContent; onLoad: (c: CampaignContent) => void }) {
  const api = useApi();
  const list = useQuery('templates.list', []);
  const [chosen, setChosen] = useState('');
  const [note, setNote] = useState<string | null>(null);
  const templates = (list.data ?? []).filter((t) => t.kind === 'alert' || t.kind === 'campaign');

  const load = async (id: string) => {
    const next: CampaignContent = { defaultLang: content.defaultLang, sms: {}, email: {} };
    for (const lang of LANGS) {
      const sms = await api.call('templates.get', { id, lang, channel: 'sms' });
      if (sms && sms.effectiveLang === lang) next.sms[lang] = sms.body;
      const email = await api.call('templates.get', { id, lang, channel: 'email' });
      if (email && email.effectiveLang === lang) next.email[lang] = { subject: email.subject ?? '', body: email.body, html: email.html ?? '' };
    }
    onLoad(next);
    setNote('Loaded. Edit freely: the template itself does not change.');
  };

  const save = async () => {
    const id = `campaign.${slug(name)}`;
    const label = name.trim() || 'Campaign';
    const tkind = kind === 'alert' ? 'alert' : 'campaign';
    try {
      let n = 0;
      for (const lang of LANGS) {
        const sms = content.sms[lang];
        if (sms?.trim()) {
          await api.call('templates.save', { id, lang, channel: 'sms', kind: tkind, label, body: sms });
          n++;
        }
        const email = content.email[lang];
        if (email?.body.trim()) {
          await api.call('templates.save', { id, lang, channel: 'email', kind: tkind, label, subject: email.subject, body: email.body, html: email.html?.trim() ? email.html : null });
          n++;
        }
      }
      setNote(n ? `Saved as template “${label}” (${n} variant${n === 1 ? '' : 's'}).` : 'Write a text first.');
      list.reload();
    } catch (e) {
      setNote(e instanceof CallError ? e.message : String(e));
    }
  };

  return (
    <div className="pl-row" style={{ alignItems: 'flex-end' }}>
      <Field label="Start from a template" size="small">
        <Select size="small" value={chosen} data-testid="campaign-template" onChange={(_, d) => setChosen(d.value)}>
          <option value="">{templates.length ? 'Choose…' : 'No alert or campaign templates yet'}</option>
          {templates.map((t) => (
            <option key={t.id} value={t.id}>
              {t.label}
            </option>
          ))}
        </Select>
      </Field>
      <Button size="small" disabled={!chosen} onClick={() => void load(chosen)}>
        Use template
      </Button>
      <Button size="small" onClick={() => void save()}>
        Save texts as a template
      </Button>
      {note && (
        <Text size={200} className="pl-muted">
          {note}
        </Text>
      )}
    </div>
  );
}
