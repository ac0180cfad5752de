import { Button, Card, CardHeader, Field, Input, Radio, RadioGroup, Subtitle2, Text } from '@fluentui/react-components';
import type { SmtpSettingsInput } from '../../../src-main/contract';
import { useApi } from '../../api/context';
import { Banner, TextField, useForm } from '../../ui/forms';

export function SmtpForm({ initial, passwordSet, onSaved }: { initial: SmtpSettingsInput; passwordSet: boolean; onSaved?: () => void }) {
  const api = useApi();
  const form = useForm<SmtpSettingsInput>(initial);
  const v = form.value;
  return (
    <Card>
      <CardHeader header={<Subtitle2>Email (SMTP)</Subtitle2>} description={<Text className="pl-muted">The clinic's own mailbox sends reminders and campaigns; replies come back to it.</Text>} />
      <div className="pl-grid2">
        <TextField form={form} path="host" label="Mail server" required placeholder="smtp.office365.com" />
        <TextField form={form} path="port" label="Port" number required />
        <Field label="Security" validationMessage={form.errors.security} validationState={form.errors.security ? 'error' : 'none'}>
          <RadioGroup layout="horizontal" value={v.security} onChange={(_, d) => form.set('security', d.value)}>
            <Radio value="starttls" label="STARTTLS (587)" />
            <Radio value="tls" label="TLS (465)" />
            <Radio value="none" label="None" />
          </RadioGroup>
        </Field>
        <TextField form={form} path="user" label="User name" />
        <Field label="Password" hint={passwordSet ? 'Saved (hidden). Type to replace it.' : 'For Microsoft 365 or Gmail, use an app password.'} validationMessage={form.errors.password}>
          <Input type="password" data-testid="field-password" value={v.password ?? ''} onChange={(_, d) => form.set('password', d.value)} autoComplete="off" />
        </Field>
        <TextField form={form} path="fromName" label="From name" required />
        <TextField form={form} path="fromAddress" label="From address" required />
        <TextField form={form} path="replyTo" label="Reply-to address" />
      </div>
      <Banner banner={form.banner} />
      <div className="pl-row">
        <Button appearance="primary" disabled={form.busy} data-testid="save-smtp" onClick={() => form.run(async () => { await api.call('settings.saveSmtp', form.value); onSaved?.(); return 'Email settings saved.'; })}>
          Save
        </Button>
        <Button disabled={form.busy} data-testid="test-smtp" onClick={() => form.run(async () => {
          const r = await api.call('settings.testSmtp', form.value);
          if (!r.ok) form.setBanner({ intent: 'error', text: r.message });
          else return r.message;
        })}>
          Test connection
        </Button>
      </div>
    </Card>
  );
}
