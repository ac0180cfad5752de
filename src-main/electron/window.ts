import { BrowserWindow, Menu, app, shell, type Session, type WebContents, type WebPreferences } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isExternalUrlAllowed } from '../core/system/handlers';
import type { Logger } from '../core/shared/log';
import { CSP } from '../host-web/csp';
import { REMOTE_URL_PATTERNS, isPermissionAllowed, webPreferencesFor } from './window-options';

/** Where the packaged (or `electron .`) app keeps its built parts; app.getAppPath() is the asar root. */
export interface AppPaths {
  rendererDir: string;
  /** file:// URL of rendererDir with a trailing slash, for sender checks. */
  rendererDirUrl: string;
  preload: string;
  iconDir: string;
}

export function appPaths(): AppPaths {
  const root = app.getAppPath();
  const rendererDir = path.join(root, 'dist-renderer');
  return {
    rendererDir,
    rendererDirUrl: pathToFileURL(rendererDir + path.sep).href,
    preload: path.join(root, 'dist-main', 'preload.cjs'),
    iconDir: path.join(root, 'resources', 'icons'),
  };
}

function openIfAllowed(url: string, log: Logger): void {
  if (isExternalUrlAllowed(url)) void shell.openExternal(url);
  else log.warn('blocked a link that is not on the allow-list', { scheme: safeScheme(url) });
}

function safeScheme(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return 'invalid';
  }
}

/**
 * Session-wide rules: the CSP header (on top of the meta tag in index.html), no network
 * requests from pages at all (the core does the networking in the main process), and no
 * browser permissions except notifications.
 */
export function hardenSession(ses: Session, log: Logger): void {
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  ses.webRequest.onBeforeRequest({ urls: REMOTE_URL_PATTERNS }, (details, callback) => {
    log.warn('blocked a remote request from the window', { scheme: safeScheme(details.url) });
    callback({ cancel: true });
  });
  ses.setPermissionRequestHandler((_wc, permission, callback) => callback(isPermissionAllowed(permission)));
  ses.setPermissionCheckHandler((_wc, permission) => isPermissionAllowed(permission));
}

/** Applied to every web contents the app ever creates, not only the main window. */
export function guardAllWebContents(log: Logger): void {
  app.on('web-contents-created', (_e, contents: WebContents) => {
    contents.on('will-navigate', (ev, url) => {
      ev.preventDefault();
      openIfAllowed(url, log);
    });
    contents.on('will-attach-webview', (ev) => ev.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      openIfAllowed(url, log);
      return { action: 'deny' };
    });
  });
}

export function createMainWindow(paths: AppPaths, log: Logger): BrowserWindow {
  const packaged = app.isPackaged;
  const webPreferences: WebPreferences = webPreferencesFor({ preload: paths.preload, packaged });
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Pawline',
    icon: path.join(paths.iconDir, process.platform === 'win32' ? 'icon.ico' : '256x256.png'),
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    webPreferences,
  });
  // The default menu carries "Toggle Developer Tools"; a packaged desk gets none.
  if (packaged) Menu.setApplicationMenu(null);
  win.once('ready-to-show', () => win.show());
  let lastReload = 0;
  win.webContents.on('render-process-gone', (_e, details) => {
    // Keep the desk usable: the core (and its queue) lives on in the main process. A renderer
    // that dies again right away is left alone rather than reloaded in a loop.
    log.error('window renderer exited', { reason: details.reason, exitCode: details.exitCode });
    if (win.isDestroyed() || Date.now() - lastReload < 30_000) return;
    lastReload = Date.now();
    win.reload();
  });
  void win.loadFile(path.join(paths.rendererDir, 'index.html'));
  return win;
}
