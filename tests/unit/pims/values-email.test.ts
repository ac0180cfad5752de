import { describe, expect, it } from 'vitest';
import { parseEmail } from '../../../src-main/core/pims/values';

describe('parseEmail (EXPECTED malformed_email definition)', () => {
  it.each([
    'n/a',
    'none',
    'NONE',
    'declined',
    'maria.lopez@',
    'maria.lopez@example',
    'maria@@example.com',
    'maria lopez@example.com',
    'maria.lopez@example,com',
    'maria.lopez@example.com.',
    'maria.lopez.example.com',
    'a@b.com;c@d.com',
  ])('flags %j as malformed, keeping the trimmed text', (raw) => {
    expect(parseEmail(` ${raw} `)).toEqual({ address: raw, valid: false });
  });

  it('accepts a valid address with a trailing space, trimmed', () => {
    expect(parseEmail('maria.lopez@example.com ')).toEqual({ address: 'maria.lopez@example.com', valid: true });
  });

  it('lower-cases the domain only', () => {
    expect(parseEmail('Maria.Lopez@Example.COM')).toEqual({ address: 'Maria.Lopez@example.com', valid: true });
  });

  it('returns null for empty values', () => {
    for (const raw of [null, undefined, '', '   ']) expect(parseEmail(raw)).toBeNull();
  });
});
