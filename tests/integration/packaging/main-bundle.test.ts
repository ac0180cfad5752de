/**
 * Runs the bundled dist-main/main.cjs under plain Node with a recording stand-in for the
 * 'electron' module (fixtures/fake-electron.cjs), which plays one session: the page calls the
 * API, foreign frames try to, a setting with a password is saved, the window is closed (it
 * hides) and Quit is chosen from the tray. Proves the bundle loads, its externals resolve, and
 * the main process wires core, IPC, window security and shutdown as designed.
 */
import Database from 'better-sqlite3';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSP } from '../../../src-main/host-web/csp';
import { defaultDataDir } from '../../../src-main/core/shared/data-dir';
import { CLINIC } from '../../helpers/settings-fixtures';
import { pulseClinic, writePulse } from '../import/fixtures';

const root = path.resolve(__dirname, '../../..');
const PASSWORD = 'hunter2-Desk!Secret';
type Envelope = { ok: boolean; value?: Record<string, unknown>; error?: { code: string } };

let tmp: string;
let report: {
  ipc: [string, Envelope][];
  sent: unknown[][];
  tooltips: string[];
  hidden: number;
  loadFile: string;
  webPreferences: Record<string, unknown>;
  permissions: Record<string, boolean>;
  csp: string[];
  cancelledRemote: { urls: string[]; cancel: boolean };
  quit: boolean;
  errors: string[];
  notifications: string[];
  navigationPrevented: boolean;
  windowOpen: { action: string };
  windowDestroyedAfterClose: boolean;
  trayMenu: string[];
  trayDestroyed: boolean;
};
let stderr: string;
/** Data folder contents right after the process exited, before any test opens the database. */
let filesAfterQuit: string[];

beforeAll(() => {
  if (!['main', 'pims-writer', 'pims-reader', 'campaign-writer'].every((b) => existsSync(path.join(root, `dist-main/${b}.cjs`)))) execFileSync(process.execPath, ['scripts/build-main.mjs'], { cwd: root, stdio: 'pipe' });
  tmp = mkdtempSync(path.join(os.tmpdir(), 'pawline-main-'));
  const exportDir = writePulse(path.join(tmp, 'export'), pulseClinic());
  const smtp = { host: '127.0.0.1', port: 2525, security: 'none', user: 'desk', password: PASSWORD, fromName: 'Larkspur Vet', fromAddress: 'desk@example.com', replyTo: 'desk@example.com' };
  const res = spawnSync(process.execPath, ['-r', path.join(__dirname, 'fixtures/fake-electron.cjs'), path.join(root, 'dist-main/main.cjs')], {
    cwd: root,
    env: { ...process.env, FAKE_APP_ROOT: root, FAKE_APP_DATA: tmp, FAKE_SMTP_INPUT: JSON.stringify(smtp), FAKE_IMPORT_DIR: exportDir, FAKE_CLINIC_INPUT: JSON.stringify(CLINIC) },
    encoding: 'utf8',
    timeout: 30_000,
  });
  stderr = res.stderr;
  const line = res.stdout.split('\n').find((l) => l.startsWith('REPORT '));
  if (res.status !== 0 || !line) throw new Error(`main.cjs run failed (${res.status ?? res.signal}):\n${res.stdout}\n${res.stderr}`);
  report = JSON.parse(line.slice('REPORT '.length));
  filesAfterQuit = readdirSync(defaultDataDir({ XDG_CONFIG_HOME: tmp }, 'linux'));
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const call = (label: string) => report.ipc.find(([l]) => l === label)?.[1];

describe('dist-main/main.cjs under a stand-in electron', () => {
  it('starts the core as the electron host in the same data folder the web host uses', () => {
    expect(report.errors).toEqual([]);
    const info = call('info');
    expect(info?.ok).toBe(true);
    expect(info?.value?.host).toBe('electron');
    expect(info?.value?.dataDir).toBe(defaultDataDir({ XDG_CONFIG_HOME: tmp }, 'linux'));
    expect(call('status')?.ok).toBe(true);
  });

  it('answers IPC only for its own top-level page', () => {
    expect(call('foreign')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(call('subframe')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('imports an export with the bundled import threads', () => {
    const r = call('import');
    expect(r?.ok).toBe(true);
    expect(r?.value).toMatchObject({ status: 'ok', byEntity: { clients: { inserted: 5 }, reminders: { inserted: 7 } } });
  });

  it('writes a campaign into the outbox with the bundled campaign writer', () => {
    expect(call('campaign-send')?.ok).toBe(true);
    const r = call('campaign') as Envelope & { value?: { progress: { enqueueing: boolean; total: number; queued: number } } };
    expect(r?.ok).toBe(true);
    expect(r?.value?.progress.enqueueing).toBe(false);
    // The fixture's five households, each by SMS and email where it has them: none of it twice.
    expect(r?.value?.progress.total).toBeGreaterThan(0);
    const dataDir = defaultDataDir({ XDG_CONFIG_HOME: tmp }, 'linux');
    const db = new Database(path.join(dataDir, 'pawline.sqlite3'), { readonly: true });
    const rows = db.prepare<[], { n: number; keys: number }>('SELECT COUNT(*) n, COUNT(DISTINCT dedupe_key) keys FROM messages WHERE campaign_id IS NOT NULL').get()!;
    db.close();
    expect(rows.n).toBe(r?.value?.progress.total);
    expect(rows.keys).toBe(rows.n);
  });

  it('forwards core events to the window', () => {
    expect(call('smtp')?.ok).toBe(true);
    const ev = report.sent.find((s) => s[0] === 'pawline:event' && s[1] === 'settings.changed');
    expect(ev).toBeTruthy();
    expect(JSON.stringify(ev)).not.toContain(PASSWORD);
  });

  it('stores secrets with safeStorage, never in clear text', () => {
    const dataDir = defaultDataDir({ XDG_CONFIG_HOME: tmp }, 'linux');
    const db = new Database(path.join(dataDir, 'pawline.sqlite3'), { readonly: true });
    const rows = db.prepare('SELECT name, scheme FROM secrets').all();
    db.close();
    expect(rows).toEqual([{ name: 'smtp.password', scheme: 'electron-safestorage' }]);
    expect(readFileSync(path.join(dataDir, 'pawline.sqlite3')).includes(PASSWORD)).toBe(false);
    expect(existsSync(path.join(dataDir, 'secret.key'))).toBe(false);
    expect(stderr).not.toContain(PASSWORD);
  });

  it('opens a locked-down window on the built renderer', () => {
    expect(report.loadFile).toBe(path.join(root, 'dist-renderer', 'index.html'));
    expect(report.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, preload: path.join(root, 'dist-main', 'preload.cjs') });
    expect(report.csp).toEqual([CSP]);
    expect(report.cancelledRemote).toEqual({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'], cancel: true });
    expect(report.permissions).toEqual({ notifications: true, media: false, geolocation: false });
    expect(report.navigationPrevented).toBe(true);
    expect(report.windowOpen).toEqual({ action: 'deny' });
  });

  it('hides to the tray on close, and quits from the tray after closing the core cleanly', () => {
    expect(report.windowDestroyedAfterClose).toBe(false);
    expect(report.hidden).toBe(1);
    expect(report.notifications).toEqual(['Pawline is still running']);
    expect(report.trayMenu).toEqual(['Open Pawline', 'separator', 'Quit Pawline']);
    expect(report.tooltips[0]).toBe('Pawline');
    expect(report.quit).toBe(true);
    expect(report.trayDestroyed).toBe(true);
    // A cleanly closed WAL database leaves no -wal file behind.
    expect(filesAfterQuit).toContain('pawline.sqlite3');
    expect(filesAfterQuit).not.toContain('pawline.sqlite3-wal');
  });
});
