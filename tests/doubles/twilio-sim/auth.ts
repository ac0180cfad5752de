import type { SimAccount } from './types';

/**
 * Basic auth the way Twilio takes it: AccountSid + AuthToken, or an API key SID (SK...) + its secret.
 * Returns the account the credentials belong to.
 */
export interface Principal {
  account: SimAccount;
  /** Set when an API key was used. */
  keyType?: 'standard' | 'main';
}

export function authenticate(header: string | undefined, accounts: SimAccount[]): Principal | null {
  const m = /^Basic\s+(.+)$/i.exec(header ?? '');
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  const user = decoded.slice(0, colon);
  const pass = decoded.slice(colon + 1);
  for (const acc of accounts) {
    if (user === acc.sid && pass === acc.authToken) return { account: acc };
    const key = acc.apiKeys?.find((k) => k.sid === user && k.secret === pass);
    if (key) return { account: acc, keyType: key.type ?? 'standard' };
  }
  return null;
}
