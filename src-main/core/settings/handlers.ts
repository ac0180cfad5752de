import type { Handlers, SmtpSettingsInput, TwilioSettingsInput } from '../../contract';
import type { EventBus } from '../shared/events';
import { ApiError } from '../shared/errors';
import { testSmtp, testTwilio } from './connection-tests';
import { clinicSchema, generalSchema, parseOrThrow, smtpSchema, twilioSchema } from './schema';
import type { SettingsStore } from './store';

type SettingsHandlers = Pick<Handlers, `settings.${string}` & keyof Handlers>;

export function settingsHandlers(store: SettingsStore, events: EventBus): SettingsHandlers {
  const changed = () => {
    const v = store.view();
    events.emit('settings.changed', v);
    return v;
  };
  const twilioWithSecrets = (input: TwilioSettingsInput) => {
    const t = parseOrThrow(twilioSchema, input, 'Twilio settings');
    const stored = store.twilio();
    return { ...t, authToken: t.authToken ?? stored?.authToken ?? '', apiKeySecret: t.apiKeySecret ?? stored?.apiKeySecret ?? '' };
  };
  const smtpWithSecrets = (input: SmtpSettingsInput) => {
    const s = parseOrThrow(smtpSchema, input, 'Mail settings');
    return { ...s, password: s.password ?? store.smtp()?.password ?? '' };
  };
  return {
    'settings.get': () => store.view(),
    'settings.saveClinic': (arg) => {
      store.saveClinic(parseOrThrow(clinicSchema, arg, 'Clinic profile'));
      return changed();
    },
    'settings.saveTwilio': (arg) => {
      const t = parseOrThrow(twilioSchema, arg, 'Twilio settings');
      const secret = t.authMode === 'token' ? (t.authToken ?? store.twilio()?.authToken) : (t.apiKeySecret ?? store.twilio()?.apiKeySecret);
      if (!secret) throw new ApiError('validation', 'Twilio settings: 1 field needs attention.', t.authMode === 'token' ? { authToken: 'Enter the Auth Token' } : { apiKeySecret: 'Enter the API key secret' });
      store.saveTwilio(t);
      return changed();
    },
    'settings.saveSmtp': (arg) => {
      store.saveSmtp(parseOrThrow(smtpSchema, arg, 'Mail settings'));
      return changed();
    },
    'settings.saveGeneral': (arg) => {
      const g = parseOrThrow(generalSchema, arg, 'Settings');
      store.setGeneral(Object.fromEntries(Object.entries(g).filter(([, v]) => v !== undefined)));
      return changed();
    },
    'settings.testTwilio': (arg) => testTwilio(twilioWithSecrets(arg)),
    'settings.testSmtp': (arg) => testSmtp(smtpWithSecrets(arg)),
  };
}
