import { Button, Card, CardHeader, Combobox, Field, Input, Option, Radio, RadioGroup, Subtitle2, Text } from '@fluentui/react-components';
import type { SenderType, TwilioSettingsInput } from '../../../src-main/contract';
import { useApi } from '../../api/context';
import { Banner, TextField, useForm } from '../../ui/forms';

const SENDER_TYPES: { value: SenderType; label: string }[] = [
  { value: 'long-code', label: 'Local number, unregistered (1 msg/s)' },
  { value: '10dlc-low', label: '10DLC, low-volume brand (about 1 msg/s)' },
  { value: '10dlc-standard', label: '10DLC, standard brand (about 4 msg/s)' },
  { value: 'toll-free', label: 'Toll-free, verified (3 msg/s)' },
  { value: 'short-code', label: 'Short code (100 msg/s)' },
  { value: 'custom', label: 'Custom rate' },
];

export function TwilioForm({ initial, tokenSet, keySecretSet, onSaved }: { initial: TwilioSettingsInput; tokenSet: boolean; keySecretSet: boolean; onSaved?: () => void }) {
  const api = useApi();
  const form = useForm<TwilioSettingsInput>(initial);
  const v = form.value;
  const secretField = (path: 'authToken' | 'apiKeySecret', label: string, isSet: boolean) => (
    <Field label={label} hint={isSet ? 'Saved (hidden). Type to replace it.' : undefined} validationMessage={form.errors[path]} validationState={form.errors[path] ? 'error' : 'none'}>
      <Input type="password" data-testid={`field-${path}`} value={v[path] ?? ''} onChange={(_, d) => form.set(path, d.value)} autoComplete="off" />
    </Field>
  );
  return (
    <Card>
      <CardHeader header={<Subtitle2>Texting (Twilio)</Subtitle2>} description={<Text className="pl-muted">Your clinic's own Twilio account sends and receives the texts.</Text>} />
      <div className="pl-grid2">
        <TextField form={form} path="accountSid" label="Account SID" required placeholder="AC…" />
        <Field label="Sign in with">
          <RadioGroup layout="horizontal" value={v.authMode} onChange={(_, d) => form.set('authMode', d.value)}>
            <Radio value="token" label="Auth token" />
            <Radio value="apiKey" label="API key" />
          </RadioGroup>
        </Field>
        {v.authMode === 'token' ? (
          secretField('authToken', 'Auth token', tokenSet)
        ) : (
          <>
            <TextField form={form} path="apiKeySid" label="API key SID" placeholder="SK…" />
            {secretField('apiKeySecret', 'API key secret', keySecretSet)}
          </>
        )}
        <TextField form={form} path="fromNumber" label="Clinic texting number" placeholder="+12065550100" />
        <TextField form={form} path="messagingServiceSid" label="or Messaging Service SID" placeholder="MG…" />
        <Field label="Sender type (sets the sending speed)">
          <Combobox value={SENDER_TYPES.find((s) => s.value === v.senderType)?.label} selectedOptions={[v.senderType]} onOptionSelect={(_, d) => form.set('senderType', d.optionValue)}>
            {SENDER_TYPES.map((s) => (
              <Option key={s.value} value={s.value}>{s.label}</Option>
            ))}
          </Combobox>
        </Field>
        {v.senderType === 'custom' && <TextField form={form} path="customRate" label="Segments per second" number />}
        <TextField form={form} path="pricePerSegment" label="Price per segment (USD)" number hint="Used for cost estimates before sending." />
        <TextField form={form} path="baseUrl" label="API address (advanced)" placeholder="https://api.twilio.com" hint="Leave empty for Twilio itself." />
      </div>
      <Banner banner={form.banner} />
      <div className="pl-row">
        <Button appearance="primary" disabled={form.busy} data-testid="save-twilio" onClick={() => form.run(async () => { await api.call('settings.saveTwilio', form.value); onSaved?.(); return 'Twilio settings saved.'; })}>
          Save
        </Button>
        <Button disabled={form.busy} data-testid="test-twilio" onClick={() => form.run(async () => {
          const r = await api.call('settings.testTwilio', form.value);
          if (!r.ok) form.setBanner({ intent: 'error', text: r.message });
          else return r.message;
        })}>
          Test connection
        </Button>
      </div>
    </Card>
  );
}
