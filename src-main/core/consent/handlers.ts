import type { ClientDetail, Handlers } from '../../contract';
import type { Db } from '../db/open';
import { ApiError } from '../shared/errors';
import type { ConsentLedger } from './ledger';

type ConsentHandlers = Pick<Handlers, 'clients.setMarketingConsent'>;

/**
 * Marketing consent as staff record it. Marketing campaigns go only to addresses whose latest
 * marketing event is an opt-in (consent/ledger.ts); an opt-out of the channel still wins over it.
 */
export function consentHandlers(d: { db: Db; consent: ConsentLedger; getClient(id: number): ClientDetail }): ConsentHandlers {
  const point = d.db.prepare<[number, number], { kind: 'phone' | 'email'; value: string | null; valid: number; sms_capable: number }>(
    'SELECT kind, value, valid, sms_capable FROM contact_points WHERE id = ? AND client_id = ?',
  );
  return {
    'clients.setMarketingConsent': (a) => {
      if (!Number.isInteger(a?.clientId) || !Number.isInteger(a?.contactPointId) || typeof a?.optIn !== 'boolean')
        throw new ApiError('validation', 'Choose the number or email and whether the owner agreed.');
      const p = point.get(a.contactPointId, a.clientId);
      if (!p) throw new ApiError('not-found', 'That number or email is not this client’s any more.');
      if (!p.value || !p.valid) throw new ApiError('validation', 'This number or email is not valid: correct it in the practice software first.');
      if (p.kind === 'phone' && !p.sms_capable) throw new ApiError('validation', 'This number cannot receive texts, so it cannot receive marketing texts either.');
      const channel = p.kind === 'email' ? 'email' : 'sms';
      if (a.optIn && d.consent.isOptedOut(p.value, channel))
        throw new ApiError('consent.opted-out', 'The owner opted out of this channel. They have to opt back in (reply START, or ask at the desk) before marketing can be recorded.');
      d.consent.record({ address: p.value, channel, purpose: 'marketing', status: a.optIn ? 'opt-in' : 'opt-out', source: 'staff', detail: a.by?.trim() || undefined });
      return d.getClient(a.clientId);
    },
  };
}
