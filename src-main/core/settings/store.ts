import type { ClinicProfile, SettingsView, SmtpSettingsInput, SmtpSettingsView, TwilioSettingsInput, TwilioSettingsView } from '../../contract';
import type { Db } from '../db/open';
import type { Clock } from '../shared/clock';
import type { SecretBox } from './secrets';

/** Twilio settings with secrets in clear, for the core's own use only. */
export interface TwilioConfig extends Omit<TwilioSettingsView, 'authToken' | 'apiKeySecret'> {
  authToken: string;
  apiKeySecret: string;
}
export interface SmtpConfig extends Omit<SmtpSettingsView, 'password'> {
  password: string;
}

type Stored<T> = Omit<T, 'authToken' | 'apiKeySecret' | 'password'>;

export interface SettingsStore {
  view(): SettingsView;
  clinic(): ClinicProfile | null;
  twilio(): TwilioConfig | null;
  smtp(): SmtpConfig | null;
  saveClinic(c: ClinicProfile): void;
  saveTwilio(t: TwilioSettingsInput): void;
  saveSmtp(s: SmtpSettingsInput): void;
  getGeneral<K extends keyof General>(k: K): General[K];
  setGeneral(patch: Partial<General>): void;
  /** Any JSON document by key, for domains that keep their own settings (rules, templates). */
  getDoc<T>(key: string): T | null;
  setDoc(key: string, value: unknown): void;
  getSecret(name: string): string | null;
  setSecret(name: string, value: string | null): void;
}

export interface General {
  exportFolder: string | null;
  planTime: string;
  setupComplete: boolean;
}

const GENERAL_DEFAULTS: General = { exportFolder: null, planTime: '07:00', setupComplete: false };

export function createSettingsStore(db: Db, box: SecretBox, clock: Clock): SettingsStore {
  const getStmt = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const putStmt = db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at');
  const getSecretStmt = db.prepare<[string], { ciphertext: Buffer; scheme: string }>('SELECT ciphertext, scheme FROM secrets WHERE name = ?');
  const putSecretStmt = db.prepare('INSERT INTO secrets (name, ciphertext, scheme, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET ciphertext = excluded.ciphertext, scheme = excluded.scheme, updated_at = excluded.updated_at');
  const delSecretStmt = db.prepare('DELETE FROM secrets WHERE name = ?');

  const getDoc = <T>(key: string): T | null => {
    const row = getStmt.get(key);
    return row ? (JSON.parse(row.value) as T) : null;
  };
  const setDoc = (key: string, value: unknown) => putStmt.run(key, JSON.stringify(value), clock.now().toISOString());
  const getSecret = (name: string): string | null => {
    const row = getSecretStmt.get(name);
    if (!row) return null;
    if (row.scheme !== box.scheme && !(box.canRead?.(row.scheme) ?? false)) return null;
    try {
      return box.decrypt(row.ciphertext);
    } catch {
      // Saved by another host (Electron's safeStorage vs the Node key file) or a lost key:
      // treat as not set so Settings asks for it again instead of failing every send.
      return null;
    }
  };
  const setSecret = (name: string, value: string | null) => {
    if (value === null || value === '') delSecretStmt.run(name);
    else putSecretStmt.run(name, box.encrypt(value), box.scheme, clock.now().toISOString());
  };
  const hasSecret = (name: string) => getSecret(name) !== null;
  const general = (): General => ({ ...GENERAL_DEFAULTS, ...(getDoc<Partial<General>>('general') ?? {}) });

  const twilioView = (): TwilioSettingsView | null => {
    const t = getDoc<Stored<TwilioSettingsView>>('twilio');
    return t ? { ...t, authToken: { set: hasSecret('twilio.authToken') }, apiKeySecret: { set: hasSecret('twilio.apiKeySecret') } } : null;
  };
  const smtpView = (): SmtpSettingsView | null => {
    const s = getDoc<Stored<SmtpSettingsView>>('smtp');
    return s ? { ...s, password: { set: hasSecret('smtp.password') } } : null;
  };

  return {
    view: () => {
      const g = general();
      return { clinic: getDoc<ClinicProfile>('clinic'), twilio: twilioView(), smtp: smtpView(), exportFolder: g.exportFolder, planTime: g.planTime, setupComplete: g.setupComplete };
    },
    clinic: () => getDoc<ClinicProfile>('clinic'),
    twilio: () => {
      const t = getDoc<Stored<TwilioSettingsView>>('twilio');
      return t ? { ...t, authToken: getSecret('twilio.authToken') ?? '', apiKeySecret: getSecret('twilio.apiKeySecret') ?? '' } : null;
    },
    smtp: () => {
      const s = getDoc<Stored<SmtpSettingsView>>('smtp');
      return s ? { ...s, password: getSecret('smtp.password') ?? '' } : null;
    },
    saveClinic: (c) => setDoc('clinic', c),
    saveTwilio: (t) =>
      db.transaction(() => {
        const { authToken, apiKeySecret, ...rest } = t;
        setDoc('twilio', rest);
        if (authToken !== undefined) setSecret('twilio.authToken', authToken);
        if (apiKeySecret !== undefined) setSecret('twilio.apiKeySecret', apiKeySecret);
      })(),
    saveSmtp: (s) =>
      db.transaction(() => {
        const { password, ...rest } = s;
        setDoc('smtp', rest);
        if (password !== undefined) setSecret('smtp.password', password);
      })(),
    getGeneral: (k) => general()[k],
    setGeneral: (patch) => setDoc('general', { ...general(), ...patch }),
    getDoc,
    setDoc,
    getSecret,
    setSecret,
  };
}
