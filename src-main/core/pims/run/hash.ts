import { hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';

/**
 * Fingerprint of a normalised row, compared with the stored one to tell an updated row from an
 * unchanged one. Not a security boundary: SHA-1's one-shot form is simply the fastest good hash
 * Node offers for many short strings.
 */
export function rowHash(text: string): string {
  return hash('sha1', text, 'base64');
}

/** SHA-256 of a file's bytes, streamed: the import skips a file whose content it has already loaded. */
export function fileSha256(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    const s = createReadStream(path, { highWaterMark: 1024 * 1024 });
    s.on('data', (b) => h.update(b));
    s.on('error', reject);
    s.on('end', () => resolve(h.digest('hex')));
  });
}
