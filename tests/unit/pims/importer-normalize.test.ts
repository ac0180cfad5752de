import { describe, expect, it } from 'vitest';
import { appointmentCategory, reminderCategory } from '../../../src-main/core/pims/categories';
import { contactPoints, countryOfPostal, normalizeLanguage, normalizeRegion, parsePhoneFast } from '../../../src-main/core/pims/normalize';
import { Fingerprint } from '../../../src-main/core/pims/run/fingerprint';
import type { Cell } from '../../../src-main/core/pims/run/ops';
import { parsePhone } from '../../../src-main/core/pims/values';

const FORMATS = [
  '206-555-0113', '(984) 555-0157', '+1 250 555 0107', '1-839-555-0195', '2065550113', '206.555.0113', '(206)555-0113', '206 555 0113',
  '12065550113', '+12065550113', '2065550113 x12', '(206) 555-0113 ext. 1234', '+1 206 555 0113 X99', '206-555-0113 ext 7', '(206)555-0113#12',
  '905-555-0101', '(226) 555-0150', '819.555.0177', '+1 604 555 0103', '679-555-0111', '436 555 0190',
  '555-0113', '911-555-0113', '206-055-0113', '206-155-0113', '+44 20 7946 0958', '+33 1 42 68 53 00', '  (425) 555-0102  ', '1 (206) 555-0113',
  '206-555-01134', '+2 206 555 0113', 'call 206-555-0113', '２０６-５５５-０１１３',
];

describe('parsePhoneFast', () => {
  it('agrees with parsePhone on E.164, validity and extension for every format', () => {
    for (const raw of FORMATS) {
      const slow = parsePhone(raw);
      const fast = parsePhoneFast(raw);
      const expected = slow ? { e164: slow.valid ? slow.e164 : null, extension: slow.extension ?? null, valid: slow.valid } : null;
      expect(fast, raw).toEqual(expected);
    }
  });

  it('maps US and Canadian area codes alike to +1', () => {
    expect(parsePhoneFast('(905) 555-0101')?.e164).toBe('+19055550101');
    expect(parsePhoneFast('226 555 0150')?.e164).toBe('+12265550150');
    expect(parsePhoneFast('819-555-0177')?.e164).toBe('+18195550177');
  });
});

describe('contactPoints', () => {
  it('texts only valid cell numbers without an extension', () => {
    const cps = contactPoints({
      phones: [
        { raw: '(206) 555-0199 ext. 5', type: 'Cell' },
        { raw: '206-555-0110', type: 'Home' },
        { raw: '425-555-0111', type: 'Mobile' },
        { raw: '555-0113', type: 'Cell' },
        { raw: 'none', type: 'Cell' },
      ],
      emails: [],
    });
    expect(cps.map((c) => [c.position, c.value, c.extension, c.phoneType, c.valid, c.smsCapable])).toEqual([
      [1, '+12065550199', '5', 'cell', true, false],
      [2, '+12065550110', null, 'home', true, false],
      [3, '+14255550111', null, 'cell', true, true],
      [4, null, null, 'cell', false, false],
    ]);
    expect(cps[0].nanpKey).toBe('2065550199');
  });

  it('stores a number listed twice once, as a cell if either entry is', () => {
    const cps = contactPoints({ phones: [{ raw: '(984) 555-0157', type: null }, { raw: '984.555.0157', type: 'Mobile' }], emails: [] });
    expect(cps).toHaveLength(1);
    expect(cps[0]).toMatchObject({ phoneType: 'cell', smsCapable: true });
  });

  it('flags malformed emails per the ground-truth rule and keeps what was written', () => {
    const cps = contactPoints({ phones: [], emails: ['  Steph@Example.COM ', 'n/a', 'maria.lopez@', 'a@b', 'x@@y.com', 'a b@c.com', 'rejean@example,com', 'a@example.com.', ''] });
    expect(cps.map((c) => [c.raw, c.value, c.valid])).toEqual([
      ['Steph@example.com', 'Steph@example.com', true],
      ['n/a', null, false],
      ['maria.lopez@', null, false],
      ['a@b', null, false],
      ['x@@y.com', null, false],
      ['a b@c.com', null, false],
      ['rejean@example,com', null, false],
      ['a@example.com.', null, false],
    ]);
  });
});

describe('regions, countries, languages', () => {
  it('turns state and province names into codes with their country', () => {
    expect(normalizeRegion('British Columbia')).toEqual({ region: 'BC', country: 'CA' });
    expect(normalizeRegion('wa')).toEqual({ region: 'WA', country: 'US' });
    expect(normalizeRegion('Québec')).toEqual({ region: 'QC', country: 'CA' });
    expect(normalizeRegion('Bavaria')).toEqual({ region: 'Bavaria', country: null });
    expect(countryOfPostal('V5R 2N3')).toBe('CA');
    expect(countryOfPostal('98103')).toBe('US');
    expect(countryOfPostal('9810')).toBe(null);
    expect(normalizeLanguage('French')).toBe('fr');
    expect(normalizeLanguage('ES')).toBe('es');
  });
});

describe('categories', () => {
  it('groups reminder codes and descriptions by what they are for', () => {
    expect(reminderCategory('RAB3')).toBe('vaccines');
    expect(reminderCategory('1137', 'Rabies 1 Year')).toBe('vaccines');
    expect(reminderCategory('HWT', 'Heartworm Test')).toBe('heartworm');
    expect(reminderCategory('X1', 'Annual Wellness Exam')).toBe('exam');
    expect(reminderCategory('X2', 'Dental Cleaning')).toBe('dental');
    expect(reminderCategory('SRBW', 'Senior Bloodwork')).toBe('lab');
    expect(reminderCategory('ZZZ', 'Nail trim')).toBe('other');
  });

  it('gives appointments the category their reason books', () => {
    expect(appointmentCategory('Vaccines')).toBe('vaccines');
    expect(appointmentCategory('Annual exam')).toBe('exam');
    expect(appointmentCategory('Dental')).toBe('dental');
    expect(appointmentCategory('Recheck exam')).toBe('other');
    expect(appointmentCategory('Sick visit')).toBe('other');
    expect(appointmentCategory('')).toBe(null);
  });
});

describe('record fingerprints', () => {
  const fp = (cells: Cell[]) => new Fingerprint().addAll(cells).digest();

  it('differ when any value changes, including null against empty', () => {
    const base = fp(['1001', null, 'Côté', 3.5, 1]);
    expect(fp(['1001', null, 'Côté', 3.5, 1])).toBe(base);
    expect(fp(['1001', '', 'Côté', 3.5, 1])).not.toBe(base);
    expect(fp(['1001', null, 'Cote', 3.5, 1])).not.toBe(base);
    expect(fp(['1001', null, 'Côté', 3.5, 0])).not.toBe(base);
  });

  it('tell cells apart by their type and their boundaries', () => {
    expect(fp(['1'])).not.toBe(fp([1]));
    expect(fp(['ab', 'c'])).not.toBe(fp(['a', 'bc']));
    expect(fp(['a', null])).not.toBe(fp(['a']));
    expect(fp([])).toMatch(/^[0-9a-zA-Z_-]{11}$/);
  });
});
