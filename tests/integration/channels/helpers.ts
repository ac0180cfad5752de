import twilio from 'twilio';
import { RebasedRequestClient } from '../../../src-main/core/messaging/channels/twilio-http';
import type { TwilioSim } from '../../doubles/twilio-sim';

/** The real twilio client, pointed at the simulator through the rebasing httpClient. */
export function realClient(sim: TwilioSim, creds?: { username: string; password: string }, timeout = 5_000) {
  const acc = sim.account;
  const httpClient = new RebasedRequestClient({ baseUrl: sim.url, timeout });
  const username = creds?.username ?? acc.sid;
  const password = creds?.password ?? acc.authToken;
  return twilio(username, password, { accountSid: acc.sid, httpClient });
}

/** Resolves what `fn` returns once `done` accepts it; polls without asserting on time. */
export async function pollUntil<T>(fn: () => Promise<T>, done: (v: T) => boolean, tries = 200, everyMs = 20): Promise<T> {
  let last: T = await fn();
  for (let i = 0; i < tries && !done(last); i++) {
    await new Promise((r) => setTimeout(r, everyMs));
    last = await fn();
  }
  return last;
}

/** Captures what a promise rejects with. */
export async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail');
}

/** A settable clock for the simulator's `now` option. */
export function manualClock(start = Date.UTC(2025, 2, 10, 15, 0, 0)) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms), set: (ms: number) => (t = ms) };
}

/** Small but well-formed image bytes, enough for content checks. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);
export const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF pawline test image'), Buffer.from([0xff, 0xd9])]);

export const CLINIC = '+12065550199';
export const phone = (n: number) => `+1206555${String(100 + (n % 99)).padStart(4, '0')}`;
