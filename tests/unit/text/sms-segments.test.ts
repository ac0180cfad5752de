import { describe, expect, it } from 'vitest';
import { analyzeSms, estimateCost, MAX_SMS_BODY, smartCharsFix, validateSmsBody } from '../../../src-main/core/text';

describe('analyzeSms: GSM-7', () => {
  it('fits 160 plain characters in one segment and splits 161 into two of 153', () => {
    const one = analyzeSms('a'.repeat(160));
    expect(one).toMatchObject({ encoding: 'GSM-7', segments: 1, characters: 160, perSegmentLimit: 160, nonGsmChars: [] });
    const two = analyzeSms('a'.repeat(161));
    expect(two).toMatchObject({ encoding: 'GSM-7', segments: 2, characters: 161, perSegmentLimit: 153 });
    expect(analyzeSms('a'.repeat(306)).segments).toBe(2);
    expect(analyzeSms('a'.repeat(307)).segments).toBe(3);
  });

  it('counts an extension character such as € as two septets but stays GSM-7', () => {
    const r = analyzeSms('€');
    expect(r).toMatchObject({ encoding: 'GSM-7', characters: 2, segments: 1 });
    expect(analyzeSms('a'.repeat(158) + '€').segments).toBe(1);
    expect(analyzeSms('a'.repeat(159) + '€')).toMatchObject({ characters: 161, segments: 2 });
    for (const ch of '^{}\\[~]|') expect(analyzeSms(ch).characters).toBe(2);
  });

  it('never splits an escape pair across segments', () => {
    // 306 septets would be 2 parts of 153, but the € cannot straddle the first boundary.
    const body = 'a'.repeat(152) + '€' + 'a'.repeat(152);
    expect(analyzeSms(body)).toMatchObject({ characters: 306, segments: 3 });
    expect(analyzeSms('a'.repeat(151) + '€' + 'a'.repeat(153)).segments).toBe(2);
  });

  it('counts CRLF as two characters, like Twilio', () => {
    expect(analyzeSms('Hi\r\nthere').characters).toBe(9);
    expect(analyzeSms('a'.repeat(158) + '\r\n').segments).toBe(1);
    expect(analyzeSms('a'.repeat(159) + '\r\n').segments).toBe(2);
    expect(analyzeSms('a\r\nb').normalized).toBe('a\r\nb');
  });

  it('normalises to NFC first, so e + combining acute is one GSM character', () => {
    const r = analyzeSms('Cafe\u0301 Ste\u0301phanie');
    expect(r.normalized).toBe('Café Stéphanie');
    expect(r).toMatchObject({ encoding: 'GSM-7', characters: 14 });
  });

  it('knows the GSM table: Greek capitals and Ç are in, lower-case ç is not', () => {
    expect(analyzeSms('ΩΔΣ Ç').encoding).toBe('GSM-7');
    expect(analyzeSms('ç').encoding).toBe('UCS-2');
  });

  it('gives zero segments for an empty body', () => {
    expect(analyzeSms('')).toMatchObject({ segments: 0, characters: 0 });
  });
});

describe('analyzeSms: UCS-2', () => {
  it('turns the whole message UCS-2 for one emoji, which counts 2 code units', () => {
    const r = analyzeSms('Hi 🐶');
    expect(r).toMatchObject({ encoding: 'UCS-2', characters: 5, segments: 1, perSegmentLimit: 70, nonGsmChars: ['🐶'] });
  });

  it('lists each character outside GSM-7 once, in order', () => {
    expect(analyzeSms('Côté “quoted” ô').nonGsmChars).toEqual(['ô', '“', '”']);
    expect(analyzeSms('Co\u0302te\u0301').nonGsmChars).toEqual(['ô']);
  });

  it('keeps a combining mark with no precomposed form as a non-GSM character', () => {
    expect(analyzeSms('x\u0301')).toMatchObject({ encoding: 'UCS-2', nonGsmChars: ['\u0301'], characters: 2 });
  });

  it('splits at 70 / 67 code units', () => {
    expect(analyzeSms('ô'.repeat(70))).toMatchObject({ segments: 1, characters: 70, perSegmentLimit: 70 });
    expect(analyzeSms('ô'.repeat(71))).toMatchObject({ segments: 2, characters: 71, perSegmentLimit: 67 });
    expect(analyzeSms('ô'.repeat(134)).segments).toBe(2);
    expect(analyzeSms('ô'.repeat(135)).segments).toBe(3);
  });

  it('never splits a surrogate pair across segments', () => {
    const body = 'ô'.repeat(66) + '🐶' + 'ô'.repeat(66);
    expect(analyzeSms(body)).toMatchObject({ characters: 134, segments: 3 });
    expect(analyzeSms('ô'.repeat(65) + '🐶' + 'ô'.repeat(67)).segments).toBe(2);
  });
});

describe('validateSmsBody', () => {
  it('refuses an empty or blank body', () => {
    for (const b of ['', '   ', '\r\n']) {
      const r = validateSmsBody(b);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('SMS_BODY_EMPTY');
    }
  });

  it('accepts 1,600 characters and refuses 1,601 with the length', () => {
    expect(MAX_SMS_BODY).toBe(1600);
    const ok = validateSmsBody('a'.repeat(1600));
    expect(ok.ok).toBe(true);
    if (ok.ok) expect(ok.analysis.segments).toBe(11);
    const bad = validateSmsBody('a'.repeat(1601));
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error).toMatchObject({ code: 'SMS_BODY_TOO_LONG', length: 1601, max: 1600 });
      expect(bad.error.message).toContain('1601');
    }
  });

  it('measures after NFC, so decomposed accents do not count double', () => {
    expect(validateSmsBody('e\u0301'.repeat(1600)).ok).toBe(true);
  });
});

describe('estimateCost', () => {
  it('multiplies segments by the price without float noise', () => {
    expect(estimateCost(3, 0.0079)).toBe(0.0237);
    expect(estimateCost(0, 0.0079)).toBe(0);
    expect(estimateCost(7, 0.1)).toBe(0.7);
  });

  it('rejects negative or non-finite inputs', () => {
    expect(() => estimateCost(-1, 0.01)).toThrow(RangeError);
    expect(() => estimateCost(1, Number.NaN)).toThrow(RangeError);
  });
});

describe('smartCharsFix', () => {
  it('replaces curly quotes, dashes, ellipsis and odd spaces with GSM equivalents', () => {
    const r = smartCharsFix('“Hi” – it’s\u00a0ready… — ok');
    expect(r.text).toBe('"Hi" - it\'s ready... - ok');
    expect(r.replaced).toBe(7);
    expect(analyzeSms(r.text).encoding).toBe('GSM-7');
  });

  it('drops invisible characters and turns tabs into spaces', () => {
    const r = smartCharsFix('a\u200bb\u00adc\td');
    expect(r).toEqual({ text: 'abc d', replaced: 3 });
  });

  it('leaves letters, emoji and their joiners alone', () => {
    const family = '👨\u200d👩\u200d👧';
    const r = smartCharsFix(`Côté ${family}`);
    expect(r).toEqual({ text: `Côté ${family}`, replaced: 0 });
  });

  it('reports nothing replaced for plain text', () => {
    expect(smartCharsFix('Reply C to confirm')).toEqual({ text: 'Reply C to confirm', replaced: 0 });
  });
});
