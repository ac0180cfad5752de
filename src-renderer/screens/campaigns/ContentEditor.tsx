import { Field, Input, Select, Tab, TabList, Text, Textarea } from '@fluentui/react-components';
import { useState } from 'react';
import type { CampaignContent, CampaignDelivery, CampaignLang } from '../../../src-main/contract';
import { LANG_LABEL } from './labels';

const FIELDS = '{{client.firstName}} {{client.lastName}} {{pets}} {{clinic.name}} {{clinic.phone}} {{appointment.date}} {{appointment.time}} {{appointment.pet}}';

/** SMS text and email (subject, plain body, optional simple HTML) per language; clients without their language get the default one. */
export function ContentEditor({ value, onChange, delivery, errors }: { value: CampaignContent; onChange: (c: CampaignContent) => void; delivery: CampaignDelivery; errors: Record<string, string> }) {
  const [lang, setLang] = useState<CampaignLang>(value.defaultLang);
  const sms = value.sms[lang] ?? '';
  const email = value.email[lang] ?? { subject: '', body: '', html: '' };
  const setSms = (t: string) => onChange({ ...value, sms: { ...value.sms, [lang]: t } });
  const setEmail = (patch: Partial<typeof email>) => onChange({ ...value, email: { ...value.email, [lang]: { ...email, ...patch } } });
  const filled = (l: CampaignLang) => !!(value.sms[l]?.trim() || value.email[l]?.body.trim());
  return (
    <div style={{ display: 'grid', gap: 8 }}>
      <div className="pl-row" style={{ justifyContent: 'space-between' }}>
        <TabList selectedValue={lang} onTabSelect={(_, d) => setLang(d.value as CampaignLang)} size="small">
          {(['en', 'fr', 'es'] as CampaignLang[]).map((l) => (
            <Tab key={l} value={l} data-testid={`content-lang-${l}`}>
              {LANG_LABEL[l]}
              {filled(l) ? ' ✓' : ''}
            </Tab>
          ))}
        </TabList>
        <Field label="Clients in other languages get" size="small">
          <Select size="small" value={value.defaultLang} onChange={(_, d) => onChange({ ...value, defaultLang: d.value as CampaignLang })}>
            {(['en', 'fr', 'es'] as CampaignLang[]).map((l) => (
              <option key={l} value={l}>
                {LANG_LABEL[l]}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <Text className="pl-muted" size={200}>
        Merge fields: {FIELDS}. Every text names the clinic; the opt-out sentence is added where the law expects it.
      </Text>
      {delivery !== 'email' && (
        <Field label={`Text message (${LANG_LABEL[lang]})`} validationMessage={errors['content.sms']} validationState={errors['content.sms'] ? 'error' : 'none'}>
          <Textarea rows={3} value={sms} data-testid={`content-sms-${lang}`} onChange={(_, d) => setSms(d.value)} resize="vertical" />
        </Field>
      )}
      {delivery !== 'sms' && (
        <>
          <Field label={`Email subject (${LANG_LABEL[lang]})`} validationMessage={errors['content.email']} validationState={errors['content.email'] ? 'error' : 'none'}>
            <Input value={email.subject} data-testid={`content-subject-${lang}`} onChange={(_, d) => setEmail({ subject: d.value })} />
          </Field>
          <Field label="Email text" hint="Plain text; also the email's look when the HTML below is empty. The clinic's address and phone are added at the bottom.">
            <Textarea rows={6} value={email.body} data-testid={`content-body-${lang}`} onChange={(_, d) => setEmail({ body: d.value })} resize="vertical" />
          </Field>
          <Field label="Simple HTML (optional)" hint="For example <p>…</p>, <strong>, <a href>. Merge fields are escaped.">
            <Textarea rows={3} value={email.html ?? ''} data-testid={`content-html-${lang}`} onChange={(_, d) => setEmail({ html: d.value })} resize="vertical" />
          </Field>
        </>
      )}
    </div>
  );
}
