import { Button, Field, Input, Select, Spinner, Tab, TabList, Text } from '@fluentui/react-components';
import { useState } from 'react';
import type { CampaignInput, CampaignLang, CampaignPreview } from '../../../src-main/contract';
import { useApi } from '../../api/context';
import { LANG_LABEL, cleanInput, money, num } from './labels';
import { useDebounced } from './useDebounced';

const SMART: Record<string, string> = { '\u2018': "'", '\u2019': "'", '\u201C': '"', '\u201D': '"', '\u2013': '-', '\u2014': '-', '\u2026': '...', '\u00A0': ' ' };
export const fixSmart = (s: string) => s.replace(/[\u2018\u2019\u201C\u201D\u2013\u2014\u2026\u00A0]/g, (c) => SMART[c] ?? c);

/** Exactly what one chosen recipient receives, the segment count, and the cost of the whole send. */
export function PreviewPanel({ input, campaignId, onFix, onPreview }: { input: CampaignInput; campaignId: number | null; onFix: () => void; onPreview?: (p: CampaignPreview | undefined) => void }) {
  const api = useApi();
  const [q, setQ] = useState('');
  const [clientId, setClientId] = useState<number | null>(null);
  const [lang, setLang] = useState<CampaignLang | ''>('');
  const [tab, setTab] = useState<'sms' | 'email' | 'text'>('sms');
  const clean = cleanInput(input);
  const audienceKey = JSON.stringify([clean.kind, clean.audience, clean.delivery, q]);
  const people = useDebounced(() => api.call('campaigns.recipients', { kind: clean.kind, audience: clean.audience, delivery: clean.delivery, q, limit: 50 }), audienceKey, 400);
  const previewKey = JSON.stringify([clean, clientId, lang, campaignId]);
  const preview = useDebounced(async () => {
    const p = await api.call('campaigns.preview', { kind: clean.kind, audience: clean.audience, delivery: clean.delivery, content: clean.content, clientId, lang: lang || null, campaignId });
    onPreview?.(p);
    return p;
  }, previewKey, 500);
  const p = preview.data;
  return (
    <div style={{ display: 'grid', gap: 8 }}>
      <div className="pl-row">
        <Field label="Preview for" size="small">
          <Select size="small" data-testid="preview-recipient" value={clientId === null ? '' : String(clientId)} onChange={(_, d) => setClientId(d.value ? Number(d.value) : null)}>
            <option value="">First recipient</option>
            {(people.data ?? []).map((r) => (
              <option key={r.clientId} value={r.clientId}>
                {r.name} ({r.lang}{r.sms ? ', text' : ''}{r.email ? ', email' : ''})
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Find" size="small">
          <Input size="small" placeholder="name or pet" value={q} onChange={(_, d) => setQ(d.value)} />
        </Field>
        <Field label="Language" size="small">
          <Select size="small" value={lang} onChange={(_, d) => setLang(d.value as CampaignLang | '')}>
            <option value="">The client's</option>
            {(['en', 'fr', 'es'] as CampaignLang[]).map((l) => (
              <option key={l} value={l}>
                {LANG_LABEL[l]}
              </option>
            ))}
          </Select>
        </Field>
        {preview.loading && <Spinner size="tiny" />}
      </div>
      {preview.error && <div className="pl-warn">{preview.error}</div>}
      {p && (
        <>
          <Text size={200} className="pl-muted">
            {p.clientName ? `${p.clientName} · ${LANG_LABEL[p.lang]}` : 'Sample recipient (nobody matches yet)'}
            {p.problems.length ? ` · empty for this client: ${p.problems.join(', ')}` : ''}
          </Text>
          <TabList size="small" selectedValue={tab} onTabSelect={(_, d) => setTab(d.value as typeof tab)}>
            <Tab value="sms">Text</Tab>
            <Tab value="email">Email</Tab>
            <Tab value="text">Email (plain text)</Tab>
          </TabList>
          {tab === 'sms' &&
            (p.sms ? (
              <div style={{ display: 'grid', gap: 4 }}>
                <div className="pl-bubble" data-testid="preview-sms" style={{ background: '#e8f0fe', borderRadius: 12, padding: '8px 12px', maxWidth: 420, whiteSpace: 'pre-wrap' }}>
                  {p.sms.body}
                </div>
                <Text size={200} data-testid="preview-segments">
                  {p.sms.characters} characters · {p.sms.encoding} · {p.sms.segments} segment{p.sms.segments === 1 ? '' : 's'}
                </Text>
                {p.sms.encoding === 'UCS-2' && (
                  <div className="pl-warn">
                    Characters outside the basic SMS alphabet ({p.sms.nonGsmChars.join(' ')}) make every text cost more segments.
                    {p.sms.fixable > 0 && (
                      <Button size="small" style={{ marginLeft: 8 }} onClick={onFix}>
                        Replace curly quotes and dashes
                      </Button>
                    )}
                  </div>
                )}
              </div>
            ) : (
              <Text className="pl-muted">{p.smsBlocked ? `No text for this client: ${p.smsBlocked}` : 'No text in this campaign.'}</Text>
            ))}
          {tab === 'email' &&
            (p.email ? (
              <div style={{ display: 'grid', gap: 4 }}>
                <Text weight="semibold" data-testid="preview-subject">{p.email.subject}</Text>
                <iframe title="Email preview" sandbox="" srcDoc={p.email.html} style={{ width: '100%', maxWidth: 620, height: 360, border: '1px solid #ddd', background: '#fff' }} />
              </div>
            ) : (
              <Text className="pl-muted">{p.emailBlocked ? `No email for this client: ${p.emailBlocked}` : 'No email in this campaign.'}</Text>
            ))}
          {tab === 'text' && p.email && <pre style={{ whiteSpace: 'pre-wrap', fontFamily: 'inherit', maxWidth: 620 }}>{p.email.text}</pre>}
          <Text data-testid="preview-estimate">
            Whole audience: {num(p.estimate.smsMessages)} texts = {num(p.estimate.segments)} segments ≈ {money(p.estimate.cost)} (at ${p.estimate.pricePerSegment.toFixed(4)} per segment), {num(p.estimate.emails)} emails.
          </Text>
        </>
      )}
    </div>
  );
}
