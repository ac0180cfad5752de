import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * SQLite's WAL mode needs shared memory that network file systems do not provide; a database on
 * a share can corrupt. We detect UNC paths, mapped network drives (Windows) and network mounts
 * (Linux/macOS) so the caller can fall back to journal_mode=DELETE and warn.
 */
export function isNetworkPath(p: string, platform: NodeJS.Platform = process.platform): boolean {
  if (/^(\\\\|\/\/)[^\\/]+[\\/][^\\/]+/.test(p) && !/^\\\\\?\\[A-Za-z]:/.test(p)) return true; // \\server\share or //server/share
  if (platform === 'win32') return isMappedNetworkDrive(p);
  return isOnNetworkMount(path.resolve(p));
}

function isMappedNetworkDrive(p: string): boolean {
  const m = /^([A-Za-z]):/.exec(p);
  if (!m) return false;
  try {
    // `net use` lists mapped drives ("OK  Z:  \\server\share"); no extra dependency needed.
    const out = execFileSync('net', ['use'], { encoding: 'utf8', timeout: 3000, windowsHide: true });
    return new RegExp(`\\s${m[1]}:\\s+\\\\\\\\`, 'i').test(out);
  } catch {
    return false;
  }
}

const NETWORK_FS = new Set(['nfs', 'nfs4', 'cifs', 'smbfs', 'smb3', 'afpfs', 'fuse.sshfs', 'ncpfs', '9p']);

function isOnNetworkMount(abs: string): boolean {
  let mounts: string;
  try {
    mounts = readFileSync('/proc/mounts', 'utf8');
  } catch {
    return false;
  }
  let best = '';
  let bestType = '';
  for (const line of mounts.split('\n')) {
    const [, mnt, type] = line.split(' ');
    if (!mnt) continue;
    if ((abs === mnt || abs.startsWith(mnt.endsWith('/') ? mnt : mnt + '/')) && mnt.length > best.length) {
      best = mnt;
      bestType = type;
    }
  }
  return NETWORK_FS.has(bestType);
}
