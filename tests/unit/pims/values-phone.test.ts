import { describe, expect, it } from 'vitest';
import { isShortCode, nanpKey, parsePhone, phoneTypeOf } from '../../../src-main/core/pims/values';

describe('parsePhone', () => {
  it.each([
    ['206-555-0113', '+12065550113', '(206) 555-0113'],
    ['(984) 555-0157', '+19845550157', '(984) 555-0157'],
    ['+1 867 555 0128', '+18675550128', '(867) 555-0128'],
    ['6785550115', '+16785550115', '(678) 555-0115'],
    ['786 555 0191', '+17865550191', '(786) 555-0191'],
    ['1-905-555-0100', '+19055550100', '(905) 555-0100'],
    ['(820)555-0194', '+18205550194', '(820) 555-0194'],
    ['  250.555.0126 ', '+12505550126', '(250) 555-0126'],
  ])('normalises %s to E.164', (raw, e164, national) => {
    const p = parsePhone(raw, { defaultCountry: 'US' });
    expect(p).toMatchObject({ e164, national, valid: true, countryCode: '1', raw });
    expect(p?.extension).toBeUndefined();
  });

  it.each([
    ['206.555.0101 x12', '+12065550101', '12'],
    ['(425) 555-0118 ext 22', '+14255550118', '22'],
    ['564-555-0184 ext. 80', '+15645550184', '80'],
    ['(206) 555-0113 X9999', '+12065550113', '9999'],
    ['+1 425 555 0148 extension 7', '+14255550148', '7'],
    ['2065550113#45', '+12065550113', '45'],
  ])('keeps the extension of %s apart', (raw, e164, extension) => {
    expect(parsePhone(raw)).toMatchObject({ e164, extension, valid: true });
  });

  it('treats an extension with no number as invalid, not as a phone', () => {
    expect(parsePhone('ext. 12')).toMatchObject({ valid: false, e164: null, extension: '12' });
  });

  it.each([
    ['1-905-555-0100', 'CA'],
    ['226-555-0100', 'CA'],
    ['819 555 0100', 'CA'],
    ['604-555-0101', 'CA'],
    ['+1 867 555 0128', 'CA'],
    ['206-555-0113', 'US'],
  ])('maps %s to +1 with country %s', (raw, country) => {
    expect(parsePhone(raw)).toMatchObject({ country, countryCode: '1', valid: true });
  });

  it('accepts NANP numbers libphonenumber does not know yet (new overlay area codes)', () => {
    // 679, 624 and 436 appear in real exports; the bundled metadata calls them invalid.
    for (const raw of ['(679) 555-0135', '624.555.0104', '1-436-555-0114']) {
      const p = parsePhone(raw);
      expect(p).toMatchObject({ valid: true, source: 'nanp', countryCode: '1', country: 'US' });
      expect(p?.e164).toMatch(/^\+1(679|624|436)55501\d\d$/);
    }
    expect(parsePhone('(679) 555-0135')?.national).toBe('(679) 555-0135');
  });

  it('refuses numbers that cannot be NANP', () => {
    for (const raw of ['055-555-0100', '911-555-0100', '206-055-0100', '555-0113', '20655501131']) {
      expect(parsePhone(raw)).toMatchObject({ valid: false, e164: null, source: 'invalid' });
    }
  });

  it('treats a short code as not a valid household phone', () => {
    expect(parsePhone('12345')).toMatchObject({ valid: false, e164: null });
  });

  it('accepts a valid number from another country written with +', () => {
    expect(parsePhone('+44 20 7946 0958')).toMatchObject({ e164: '+442079460958', country: 'GB', countryCode: '44', valid: true });
  });

  it('returns null when there is nothing phone-like', () => {
    for (const raw of [null, undefined, '', '   ', 'n/a', 'none']) expect(parsePhone(raw)).toBeNull();
  });
});

describe('nanpKey (EXPECTED cell_number_identity)', () => {
  it.each([
    ['206-555-0113', '2065550113'],
    ['1-206-555-0113', '2065550113'],
    ['+1 (206) 555-0113 x12', '2065550113'],
    ['(206) 555-0113 ext. 12', '2065550113'],
    ['206.555.0113', '2065550113'],
  ])('%s -> %s', (raw, key) => {
    expect(nanpKey(raw)).toBe(key);
  });

  it('is null when not 10 digits', () => {
    for (const raw of ['555-0113', '2-206-555-0113', '', null]) expect(nanpKey(raw)).toBeNull();
  });
});

describe('isShortCode', () => {
  it('is true for 5 or 6 digits only', () => {
    expect(isShortCode('12345')).toBe(true);
    expect(isShortCode('898-211')).toBe(true);
    expect(isShortCode('1234')).toBe(false);
    expect(isShortCode('1234567')).toBe(false);
    expect(isShortCode('206-555-0113')).toBe(false);
    expect(isShortCode('+12345')).toBe(false);
    expect(isShortCode(null)).toBe(false);
  });
});

describe('phoneTypeOf', () => {
  it.each([
    ['Cell', 'cell'],
    ['Mobile', 'cell'],
    ['C', 'cell'],
    ['m', 'cell'],
    [' CELL ', 'cell'],
    ['Home', 'home'],
    ['H', 'home'],
    ['Work', 'work'],
    ['W', 'work'],
    ['Business', 'work'],
    ['Fax', 'other'],
    ['', 'other'],
    [null, 'other'],
  ])('%s -> %s', (raw, type) => {
    expect(phoneTypeOf(raw)).toBe(type);
  });
});
