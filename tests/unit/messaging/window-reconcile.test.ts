import { describe, expect, it } from 'vitest';
import type { TwilioMessage } from '../../../src-main/core/messaging/channels/twilio-channel';
import { reconcileAddress, sameSend } from '../../../src-main/core/messaging/reconciler';
import type { MessageRow } from '../../../src-main/core/messaging/types';
import { WINDOW_CLASS, windowStates } from '../../../src-main/core/messaging/window-rules';
import { CLINIC } from '../../helpers/settings-fixtures';

describe('send windows per kind', () => {
  it('alerts, replies and appointments keep quiet hours; reminders and marketing also opening hours', () => {
    expect(WINDOW_CLASS).toEqual({ alert: 'quiet-hours', reply: 'quiet-hours', appointment: 'quiet-hours', reminder: 'opening-hours', marketing: 'opening-hours' });
    // Sunday 11:00 in Seattle: inside quiet hours, clinic closed.
    const w = windowStates(new Date('2025-03-16T18:00:00Z'), CLINIC);
    expect(w['quiet-hours']).toEqual({ open: true, opensAt: null });
    expect(w['opening-hours'].open).toBe(false);
    expect(w['opening-hours'].opensAt!.toISOString()).toBe('2025-03-17T16:00:00.000Z'); // Mon 09:00 PDT: opening 08:00, quiet hours from 09:00
  });

  it('across the DST change the window opens at 09:00 local', () => {
    // Sat 2025-03-08 22:00 PST; DST starts Sunday 02:00.
    const w = windowStates(new Date('2025-03-09T06:00:00Z'), CLINIC);
    expect(w['quiet-hours'].opensAt!.toISOString()).toBe('2025-03-09T16:00:00.000Z'); // Sun 09:00 PDT
  });
});

const row = (o: Partial<MessageRow>): MessageRow => ({ id: 1, to_address: '+12065551000', body: 'Hi', sent_from: '+12065550100', claimed_at: '2025-03-10T16:00:00.000Z', updated_at: '2025-03-10T16:00:00.000Z', ...o }) as MessageRow;
const msg = (o: Partial<TwilioMessage>): TwilioMessage =>
  ({ sid: 'SM1', direction: 'outbound-api', to: '+12065551000', from: '+12065550100', body: 'Hi', dateCreated: new Date('2025-03-10T16:00:01Z'), ...o }) as TwilioMessage;

describe('reconciler matching', () => {
  it('matches on direction, To, From (when known) and body (NFC, CRLF-insensitive)', () => {
    expect(sameSend(row({}), msg({}))).toBe(true);
    expect(sameSend(row({}), msg({ direction: 'inbound' }))).toBe(false);
    expect(sameSend(row({}), msg({ to: '+12065551001' }))).toBe(false);
    expect(sameSend(row({}), msg({ from: '+12065550199' }))).toBe(false);
    expect(sameSend(row({}), msg({ from: null }))).toBe(true);
    expect(sameSend(row({ body: 'Caf\u00e9\r\nok' }), msg({ body: 'Cafe\u0301\nok' }))).toBe(true);
    expect(sameSend(row({ sent_from: 'MG' + '1'.repeat(32) }), msg({ from: '+12065550199' }))).toBe(true);
  });

  it('walks the list newest first, stops before the claim window and gives each row its own message', async () => {
    const list = [
      msg({ sid: 'SMnew2', dateCreated: new Date('2025-03-10T16:00:05Z') }),
      msg({ sid: 'SMnew1', dateCreated: new Date('2025-03-10T16:00:02Z') }),
      msg({ sid: 'SMknown', dateCreated: new Date('2025-03-10T15:59:59Z') }),
      msg({ sid: 'SMold', dateCreated: new Date('2025-03-10T15:00:00Z') }),
      msg({ sid: 'SMolder', dateCreated: new Date('2025-03-10T14:00:00Z') }),
    ];
    let read = 0;
    const channel = {
      list: () => ({
        async *[Symbol.asyncIterator]() {
          for (const m of list) {
            read++;
            yield m;
          }
        },
      }),
    } as never;
    const rows = [row({ id: 1 }), row({ id: 2, claimed_at: '2025-03-10T16:00:03.000Z' }), row({ id: 3, claimed_at: '2025-03-10T16:00:06.000Z' })];
    const v = await reconcileAddress(channel, rows, { skewMs: 60_000, isKnownSid: (s) => s === 'SMknown' });
    expect(v.map((x) => x.found?.sid ?? null)).toEqual(['SMnew1', 'SMnew2', null]);
    expect(read).toBe(4); // stopped at the first message older than the window
  });
});
