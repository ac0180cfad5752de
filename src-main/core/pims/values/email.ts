export interface ParsedEmail {
  /** Trimmed; the domain lower-cased (the local part is case-sensitive in principle, so kept). */
  address: string;
  valid: boolean;
}

/**
 * EXPECTED.json's malformed_email definition, verbatim: a trimmed, non-empty value that does not
 * match this is malformed. Kept deliberately simple and identical to the ground truth so that
 * counts agree; it rejects 'n/a', 'none', 'declined', 'a@', 'a@example', 'a@@b.com',
 * 'a b@example.com', 'a@example,com' and 'a@example.com.'.
 */
export const EMAIL_PATTERN = /^[^\s@,;]+@[^\s@,;]+\.[A-Za-z]{2,}$/;

export function parseEmail(raw: string | null | undefined): ParsedEmail | null {
  if (raw == null) return null;
  const trimmed = raw.trim();
  if (trimmed === '') return null;
  if (!EMAIL_PATTERN.test(trimmed)) return { address: trimmed, valid: false };
  const at = trimmed.indexOf('@');
  return { address: trimmed.slice(0, at) + trimmed.slice(at).toLowerCase(), valid: true };
}
