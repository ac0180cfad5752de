import { Spinner, Title3 } from '@fluentui/react-components';
import { useQuery } from '../../api/context';
import { ClinicForm } from './ClinicForm';
import { DEFAULT_CLINIC, DEFAULT_SMTP, DEFAULT_TWILIO } from './defaults';
import { SmtpForm } from './SmtpForm';
import { TwilioForm } from './TwilioForm';

export function SettingsScreen() {
  const { data, error } = useQuery('settings.get', []);
  if (error) return <div className="pl-warn">{error.message}</div>;
  if (!data) return <Spinner label="Loading settings…" />;
  const { authToken, apiKeySecret, ...tw } = data.twilio ?? { ...DEFAULT_TWILIO, authToken: { set: false }, apiKeySecret: { set: false } };
  const { password, ...sm } = data.smtp ?? { ...DEFAULT_SMTP, password: { set: false } };
  return (
    <div style={{ display: 'grid', gap: 16, maxWidth: 1100 }}>
      <Title3>Settings</Title3>
      <ClinicForm initial={data.clinic ?? DEFAULT_CLINIC} />
      <TwilioForm initial={tw} tokenSet={authToken.set} keySecretSet={apiKeySecret.set} />
      <SmtpForm initial={sm} passwordSet={password.set} />
    </div>
  );
}
