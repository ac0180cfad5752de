import { randomBytes } from 'node:crypto';

export function newSid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

/** Twilio's resource dates: RFC 2822, GMT, whole seconds. */
export function rfc2822(ms: number | null): string | null {
  if (ms === null) return null;
  return new Date(ms).toUTCString().replace('GMT', '+0000');
}
