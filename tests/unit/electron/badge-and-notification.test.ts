import { describe, expect, it } from 'vitest';
import { badgeLabel, drawBadge } from '../../../src-main/electron/badge-bitmap';
import { notificationTextFor } from '../../../src-main/electron/notification-text';

const px = (b: ReturnType<typeof drawBadge>, x: number, y: number) => [...b.data.subarray((y * b.width + x) * 4, (y * b.width + x) * 4 + 4)];
const RED = [0x2b, 0x1c, 0xc4, 0xff];
const WHITE = [0xff, 0xff, 0xff, 0xff];

describe('taskbar badge bitmap', () => {
  it('labels counts as a digit, or 9+ beyond nine', () => {
    expect([1, 7, 9, 10, 250].map(badgeLabel)).toEqual(['1', '7', '9', '9+', '9+']);
  });

  it('draws a red disc on a transparent square with white digits', () => {
    const b = drawBadge(1);
    expect(b.data.length).toBe(32 * 32 * 4);
    expect(px(b, 0, 0)).toEqual([0, 0, 0, 0]);
    expect(px(b, 31, 31)).toEqual([0, 0, 0, 0]);
    expect(px(b, 3, 16)).toEqual(RED);
    const white = (bm: ReturnType<typeof drawBadge>) => {
      let n = 0;
      for (let i = 0; i < bm.data.length; i += 4) if (bm.data[i] === 0xff && bm.data[i + 2] === 0xff) n++;
      return n;
    };
    // '1' is 8 cells of the 3x5 font at scale 4; '8' is 13 cells.
    expect(white(drawBadge(1))).toBe(8 * 16);
    expect(white(drawBadge(8))).toBe(13 * 16);
    expect(white(drawBadge(42))).toBe((12 + 5) * 9); // "9+" at scale 3
    expect(px(drawBadge(8), 16, 16)).toEqual(WHITE);
  });
});

describe('new-text notification', () => {
  it('names the sender by first name only, and never shows the message or number', () => {
    const t = notificationTextFor('inbox.message', { direction: 'inbound', clientName: 'Maria Lopez', from: '+15555550123', body: 'Rex vomited blood' });
    expect(t).toEqual({ title: 'New text from Maria', body: 'Open Pawline to read and reply.' });
    expect(JSON.stringify(t)).not.toMatch(/Lopez|5555550123|Rex|blood/);
  });

  it('reads "Last, First" names and explicit first names', () => {
    expect(notificationTextFor('inbox.message', { clientName: 'Lopez, Maria' })?.title).toBe('New text from Maria');
    expect(notificationTextFor('inbox.message', { clientFirstName: '  José ' })?.title).toBe('New text from José');
  });

  it('falls back for unmatched numbers and ignores other events and outbound messages', () => {
    expect(notificationTextFor('inbox.message', { from: '+15555550123' })?.title).toBe('New text from an unknown number');
    expect(notificationTextFor('inbox.message', { direction: 'outbound', clientName: 'Maria' })).toBeNull();
    expect(notificationTextFor('settings.changed', { clientName: 'Maria' })).toBeNull();
    expect(notificationTextFor('inbox.message', null)).toBeNull();
  });
});
