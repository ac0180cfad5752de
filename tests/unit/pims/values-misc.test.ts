import { describe, expect, it } from 'vitest';
import { cleanName, cleanText, parseBool, parseSex } from '../../../src-main/core/pims/values';

describe('parseBool', () => {
  it.each([
    ['True', true],
    ['true', true],
    ['Y', true],
    ['Yes', true],
    ['1', true],
    ['-1', true],
    ['False', false],
    ['N', false],
    ['No', false],
    ['0', false],
    [' FALSE ', false],
  ])('%s -> %s', (raw, value) => {
    expect(parseBool(raw)).toBe(value);
  });

  it('is null for empty or unknown values', () => {
    for (const raw of ['', '  ', 'maybe', null, undefined]) expect(parseBool(raw)).toBeNull();
  });
});

describe('parseSex', () => {
  it.each([
    ['MN', 'M', true],
    ['FS', 'F', true],
    ['M', 'M', null],
    ['F', 'F', null],
    ['Neutered Male', 'M', true],
    ['Spayed Female', 'F', true],
    ['Male', 'M', null],
    ['Female', 'F', null],
    ['Unspecified', 'U', null],
    ['M/N', 'M', true],
    ['f s', 'F', true],
    ['Male (Neutered)', 'M', true],
    ['Intact Male', 'M', false],
    ['CM', 'M', true],
    ['', 'U', null],
    ['zzz', 'U', null],
  ])('%j -> %s neutered %s', (raw, sex, neutered) => {
    expect(parseSex(raw)).toEqual({ sex, neutered });
  });
});

describe('cleanName', () => {
  it('trims, collapses spaces and composes accents (NFC)', () => {
    expect(cleanName('  Mary   Ann ')).toBe('Mary Ann');
    const s = cleanName('Ste\u0301phanie');
    expect(s).toBe('Stéphanie');
    expect(s).toHaveLength(9);
    expect(cleanName('C\u00f4t\u00e9\u00a0\u200b')).toBe('Côté');
  });

  it.each(['NAME NOT PROVIDED', 'UNKNOWN', 'Unknown', 'n/a', 'N/A', 'none', 'NONE', '-', '?', '--', '...', '', '   '])(
    'treats %j as no name',
    (raw) => {
      expect(cleanName(raw)).toBeNull();
    },
  );

  it('keeps real short names and punctuation inside names', () => {
    expect(cleanName("O'Brien")).toBe("O'Brien");
    expect(cleanName('Na')).toBe('Na');
    expect(cleanName('Marie-Ève')).toBe('Marie-Ève');
    expect(cleanName(null)).toBeNull();
  });
});

describe('cleanText', () => {
  it('normalises line endings, keeps line breaks, drops controls and trailing spaces', () => {
    expect(cleanText(' 2428 Kestrel Ct SE  \r\nUnit 166\r\n')).toBe('2428 Kestrel Ct SE\nUnit 166');
    expect(cleanText('a\u0000b\rc')).toBe('ab\nc');
    expect(cleanText('  ')).toBeNull();
    expect(cleanText(undefined)).toBeNull();
  });
});
