import { Button, Card, CardHeader, Combobox, Field, Option, Subtitle2, Text, Textarea, Title3 } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { DemoPhone } from '../../../src-main/contract';
import { useApi, useQuery } from '../../api/context';
import { Banner, useForm } from '../../ui/forms';
import { MailboxPanel } from './MailboxPanel';
import { OwnerPhonePanel } from './OwnerPhonePanel';
import './demo.css';

/** Replies an owner typically sends; one click fills the message. */
const QUICK = ['C', 'R', 'HERE', 'STOP', 'START', 'HELP', 'Thanks! See you then.'];

const phoneLabel = (p: DemoPhone) => (p.label ? `${p.label} — ${p.number}` : p.number);

/**
 * Demo mode only: play the pet owner. Text the clinic from an owner's phone, watch what the
 * owner's phone received, and read the emails that reached the local mail server.
 */
export function DemoScreen() {
  const api = useApi();
  const { data: info } = useQuery('demo.info', []);
  const { data: phones } = useQuery('demo.phones', [], { refreshOn: ['demo.changed', 'imports.finished'] });
  const [selected, setSelected] = useState<string | null>(null);
  const form = useForm({ from: '', body: '' });
  // Start with the first owner who has heard from the clinic, else the first demo client.
  useEffect(() => {
    if (!selected && phones?.length) setSelected(phones[0]!.number);
  }, [phones, selected]);
  useEffect(() => {
    if (selected && !form.value.from) form.set('from', selected);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selected]);

  const send = () =>
    form.run(async () => {
      const m = await api.call('demo.injectInbound', form.value);
      setSelected(m.owner);
      form.set('body', '');
      return `Sent from ${m.owner} to the clinic (${info?.clinicNumber ?? 'clinic number'}). The desk picks it up on its next check, within a few seconds: see the Inbox.`;
    });

  return (
    <div className="pl-demo-screen" data-testid="demo-screen">
      <Title3>Demo: play the pet owner</Title3>
      <Text className="pl-muted">
        Texts go to a local Twilio simulator{info ? ` (${info.twilioUrl})` : ''} and emails to a local mail server{info ? ` (${info.smtp})` : ''}. Nothing leaves this computer.
      </Text>
      <Card>
        <CardHeader header={<Subtitle2>Text the clinic as an owner</Subtitle2>} description={<Text className="pl-muted">Try C to confirm an appointment, STOP to opt out, HERE for curbside.</Text>} />
        <div className="pl-grid2">
          <Field label="Owner's mobile number" validationMessage={form.errors.from} validationState={form.errors.from ? 'error' : 'none'}>
            <Combobox
              freeform
              data-testid="demo-from"
              value={form.value.from}
              onChange={(e) => form.set('from', e.target.value)}
              onOptionSelect={(_, d) => d.optionValue && form.set('from', d.optionValue)}
            >
              {(phones ?? []).slice(0, 80).map((p) => (
                <Option key={p.number} value={p.number} text={p.number}>
                  {phoneLabel(p)}
                </Option>
              ))}
            </Combobox>
          </Field>
          <Field label="Message" validationMessage={form.errors.body} validationState={form.errors.body ? 'error' : 'none'}>
            <Textarea data-testid="demo-body" value={form.value.body} onChange={(_, d) => form.set('body', d.value)} resize="vertical" />
          </Field>
        </div>
        <div className="pl-row">
          {QUICK.map((q) => (
            <Button key={q} size="small" onClick={() => form.set('body', q)}>
              {q}
            </Button>
          ))}
        </div>
        <Banner banner={form.banner} />
        <div className="pl-row">
          <Button appearance="primary" data-testid="demo-send" disabled={form.busy} onClick={() => void send()}>
            Send as owner
          </Button>
        </div>
      </Card>
      <div className="pl-demo-panels">
        <OwnerPhonePanel phones={phones ?? []} selected={selected} onSelect={setSelected} />
        <MailboxPanel />
      </div>
    </div>
  );
}
