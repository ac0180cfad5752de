import { safeStorage } from 'electron';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../core/shared/log';
import { keyFileSecretBox, type SecretBox } from '../core/settings/secrets';

/**
 * Secrets at rest under the desktop host: safeStorage (DPAPI on Windows, the keyring on Linux).
 * Falls back to the core's key file when the OS offers no real protection — including Linux's
 * "basic_text" backend, which encrypts with a fixed, public password.
 */
export function createElectronSecretBox(dataDir: string, log: Logger): SecretBox {
  const weakLinux = process.platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text';
  if (!safeStorage.isEncryptionAvailable() || weakLinux) {
    log.warn('safeStorage unavailable; secrets use the key file in the data folder', { backend: weakLinux ? 'basic_text' : 'none' });
    return keyFileSecretBox(dataDir);
  }
  // The data folder is shared with `npm run start:web`; secrets it saved with the key file stay
  // readable here. (The other direction cannot work: the web host has no access to DPAPI.)
  const keyFile = path.join(dataDir, 'secret.key');
  let legacy: SecretBox | null = null;
  return {
    scheme: 'electron-safestorage',
    canRead: (scheme) => scheme === 'aes-256-gcm-keyfile' && existsSync(keyFile),
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt(cipher) {
      try {
        return safeStorage.decryptString(cipher);
      } catch (e) {
        if (!existsSync(keyFile)) throw e;
        legacy ??= keyFileSecretBox(dataDir);
        return legacy.decrypt(cipher);
      }
    },
  };
}
