import { describe, expect, it } from 'vitest';
import { clinicFormat } from '../../../src-renderer/ui/clinic-format';
import { CODE_LABEL, label, lowerLabel } from '../../../src-renderer/ui/labels';

describe("the renderer's one formatter: the clinic's locale and time zone", () => {
  const here = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const away = here === 'Asia/Tokyo' ? 'America/Los_Angeles' : 'Asia/Tokyo';

  it('groups thousands and shows money in the clinic locale', () => {
    const us = clinicFormat('America/Los_Angeles', 'US');
    expect(us.num(19740)).toBe('19,740');
    expect(us.num(1234567)).toBe('1,234,567');
    expect(us.money(1234.5)).toBe('$1,234.50');
    const ca = clinicFormat('America/Toronto', 'CA');
    expect(ca.locale).toBe('en-CA');
    expect(ca.num(19740)).toBe('19,740');
    expect(ca.money(88.357)).toBe('$88.36');
  });

  it("shows instants in the clinic's zone and names the zone when this computer's differs", () => {
    const f = clinicFormat(away, 'US');
    expect(f.labelled).toBe(true);
    const iso = '2026-12-03T17:30:00Z';
    if (away === 'Asia/Tokyo') {
      expect(f.dateTime(iso)).toMatch(/^Dec 4, 2:30\sAM GMT\+9$/);
      expect(f.day(iso)).toBe('2026-12-04');
    } else {
      expect(f.dateTime(iso)).toMatch(/^Dec 3, 9:30\sAM PST$/);
      expect(f.day(iso)).toBe('2026-12-03');
    }
    const same = clinicFormat(here, 'US');
    expect(same.labelled).toBe(false);
    expect(same.time(iso)).not.toMatch(/[A-Z]{3}|GMT/);
    expect(f.dateTime(null)).toBe('');
    // An unknown zone falls back to this computer's instead of throwing.
    expect(clinicFormat('Mars/Olympus', 'US').timeZone).toBe(here);
  });

  it('turns internal codes into words, one map for every screen', () => {
    expect(label('no-sms-number')).toBe('No mobile number');
    expect(label('deceased-only')).toBe('Only deceased pets');
    expect(lowerLabel('opted-out')).toBe('opted out');
    expect(label('undelivered')).toBe('Not delivered');
    expect(label('some-new-code')).toBe('Some new code');
    expect(label(null)).toBe('');
    for (const [code, text] of Object.entries(CODE_LABEL)) expect(text, code).not.toMatch(/^[a-z]+(-[a-z]+)+$/);
  });
});
