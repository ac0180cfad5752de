import { countSegments } from './segments';
import { newSid } from './ids';
import { errors } from './twilio-errors';
import type { Delays, DeliveryFailure, SimAccount, SimMessage } from './types';

const E164 = /^\+[1-9]\d{7,14}$/;
const NANP = /^\+1[2-9]\d{2}[2-9]\d{6}$/;
const SHORT_CODE = /^\d{5,6}$/;
const ALPHANUMERIC = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;

/** Twilio's documented test numbers, honoured so that a script written against Twilio's docs behaves the same here. */
const MAGIC_TO: Record<string, 'invalid' | 'opted-out' | 'not-mobile'> = {
  '+15005550001': 'invalid',
  '+15005550004': 'opted-out',
  '+15005550009': 'not-mobile',
};

export function isE164(n: string): boolean {
  return E164.test(n) && (!n.startsWith('+1') || NANP.test(n));
}

export interface CreateRules {
  isOptedOut(to: string): boolean;
  isLandline(to: string): boolean;
  deliveryFailure(to: string): DeliveryFailure | undefined;
  admit(segments: number): boolean;
  now(): number;
  nextSeq(): number;
  delays(): Delays;
}

/** Validates a Messages.json POST in the order Twilio reports problems and builds the queued message. */
export function createOutbound(account: SimAccount, form: URLSearchParams, rules: CreateRules): SimMessage {
  const to = form.get('To');
  const from = form.get('From');
  const service = form.get('MessagingServiceSid');
  const body = form.get('Body') ?? '';
  const mediaUrls = form.getAll('MediaUrl').filter((u) => u !== '');

  if (!to) throw errors.toRequired();
  if (!from && !service) throw errors.fromRequired();
  if (body === '' && mediaUrls.length === 0) throw errors.bodyRequired();
  if (Array.from(body).length > 1600) throw errors.tooLong();
  if (service && !/^MG[0-9a-fA-F]{32}$/.test(service)) throw errors.invalidService(service);
  if (from) {
    if (!isE164(from) && !SHORT_CODE.test(from) && !ALPHANUMERIC.test(from)) throw errors.invalidFrom(from);
    if (account.numbers && !account.numbers.includes(from)) throw errors.notOwnedFrom(from);
  }
  const magic = MAGIC_TO[to];
  if (magic === 'invalid' || !isE164(to)) throw errors.invalidTo(to);
  if (magic === 'opted-out' || rules.isOptedOut(to)) throw errors.optedOut();
  if (magic === 'not-mobile' || rules.isLandline(to)) throw errors.notMobile();

  const numSegments = body === '' ? 1 : countSegments(body).segments;
  if (!rules.admit(numSegments)) throw errors.tooManyRequests();

  const failure = rules.deliveryFailure(to);
  const t = rules.now();
  return {
    seq: rules.nextSeq(),
    sid: newSid(mediaUrls.length ? 'MM' : 'SM'),
    accountSid: account.sid,
    direction: 'outbound-api',
    from: from ?? null,
    to,
    body,
    status: 'queued',
    errorCode: null,
    numSegments,
    messagingServiceSid: service ?? null,
    createdAt: t,
    sentAt: null,
    updatedAt: t,
    media: [],
    mediaUrls,
    timing: rules.delays(),
    outcome: failure ? { status: failure.status ?? 'undelivered', errorCode: failure.code } : { status: 'delivered', errorCode: null },
    serviceFrom: account.numbers?.[0] ?? null,
  };
}
