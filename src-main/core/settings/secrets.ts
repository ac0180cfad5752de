import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Encrypts secrets before they reach the database. Electron passes a box backed by
 * safeStorage (DPAPI on Windows); the Node host uses a key file readable by the owner only.
 */
export interface SecretBox {
  scheme: string;
  /** Other schemes this box can also decrypt (e.g. Electron reading what the Node host saved). */
  canRead?(scheme: string): boolean;
  encrypt(plain: string): Buffer;
  decrypt(cipher: Buffer): string;
}

const KEY_FILE = 'secret.key';

/** AES-256-GCM with a random 32-byte key in <dataDir>/secret.key (mode 0600). */
export function keyFileSecretBox(dataDir: string): SecretBox {
  const file = path.join(dataDir, KEY_FILE);
  let key: Buffer;
  if (existsSync(file)) {
    key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error('The secret key file in the data folder is damaged; remove it and enter the passwords again.');
  } else {
    key = randomBytes(32);
    writeFileSync(file, key.toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  try {
    chmodSync(file, 0o600);
  } catch {
    // Windows ignores POSIX modes; the file lives in the user's own profile there.
  }
  return {
    scheme: 'aes-256-gcm-keyfile',
    encrypt(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decrypt(buf) {
      const d = createDecipheriv('aes-256-gcm', key, buf.subarray(0, 12));
      d.setAuthTag(buf.subarray(12, 28));
      return Buffer.concat([d.update(buf.subarray(28)), d.final()]).toString('utf8');
    },
  };
}
