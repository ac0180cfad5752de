import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SECURE_WEB_PREFERENCES, isOwnPageUrl, isPermissionAllowed, webPreferencesFor } from '../../../src-main/electron/window-options';

describe('main window webPreferences', () => {
  it('isolates the page from Node and sandboxes it', () => {
    expect(SECURE_WEB_PREFERENCES).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
    expect(Object.isFrozen(SECURE_WEB_PREFERENCES)).toBe(true);
  });

  it('disables devtools in packaged builds only, and keeps the secure values', () => {
    const packaged = webPreferencesFor({ preload: '/app/dist-main/preload.cjs', packaged: true });
    expect(packaged.devTools).toBe(false);
    expect(packaged.preload).toBe('/app/dist-main/preload.cjs');
    expect(packaged).toMatchObject(SECURE_WEB_PREFERENCES);
    expect(webPreferencesFor({ preload: 'p', packaged: false }).devTools).toBe(true);
  });

  it('is testable without electron: window-options.ts imports nothing', () => {
    const src = readFileSync(path.resolve(__dirname, '../../../src-main/electron/window-options.ts'), 'utf8');
    expect(src).not.toMatch(/^\s*import\b/m);
  });
});

describe('permissions', () => {
  it('grants notifications and nothing else', () => {
    expect(isPermissionAllowed('notifications')).toBe(true);
    for (const p of ['media', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen', 'midi', 'hid', 'serial', 'display-capture', 'Notifications'])
      expect(isPermissionAllowed(p), p).toBe(false);
  });
});

describe('isOwnPageUrl (IPC sender check)', () => {
  const dir = 'file:///opt/Pawline/resources/app.asar/dist-renderer/';
  it('accepts pages inside the built renderer', () => {
    expect(isOwnPageUrl('file:///opt/Pawline/resources/app.asar/dist-renderer/index.html', dir, 'linux')).toBe(true);
    expect(isOwnPageUrl('file:///opt/Pawline/resources/app.asar/dist-renderer/index.html#/inbox', dir, 'linux')).toBe(true);
  });
  it('refuses remote pages, other files and escapes', () => {
    for (const url of [
      'https://evil.example/index.html',
      'http://127.0.0.1:5178/',
      'file:///opt/Pawline/resources/app.asar/other/index.html',
      'file:///opt/Pawline/resources/app.asar/dist-renderer/../../secrets.html',
      'file:///opt/Pawline/resources/app.asar/dist-renderer/%2e%2e/x.html',
      'file:///opt/Pawline/resources/app.asar/dist-renderer%2f..%2fx.html',
      'file:///opt/Pawline/resources/app.asar/dist-renderer-evil/index.html',
      'file://remote-host/opt/Pawline/resources/app.asar/dist-renderer/index.html',
      'data:text/html,hi',
      'about:blank',
      '',
      'not a url',
    ])
      expect(isOwnPageUrl(url, dir, 'linux'), url).toBe(false);
    expect(isOwnPageUrl(undefined, dir)).toBe(false);
  });
  it('matches Windows paths regardless of drive-letter case and encoding of spaces', () => {
    const win = 'file:///C:/Users/Front%20Desk/AppData/Local/Programs/Pawline/resources/app.asar/dist-renderer/';
    expect(isOwnPageUrl('file:///c:/Users/Front Desk/AppData/Local/Programs/Pawline/resources/app.asar/dist-renderer/index.html', win, 'win32')).toBe(true);
    expect(isOwnPageUrl('file:///c:/Users/Front Desk/AppData/Local/Programs/Pawline/resources/app.asar/dist-renderer/index.html', win, 'linux')).toBe(false);
  });
});
