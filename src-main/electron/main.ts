/**
 * Electron entry (bundled to dist-main/main.cjs). Wires the core to a window, the tray and
 * notifications; every decision about the desk's data lives in the core.
 */
import { BrowserWindow, app, dialog, ipcMain, session, shell } from 'electron';
import path from 'node:path';
import { EVENT_CHANNEL, RPC_CHANNEL, type DeskStatus, type Envelope } from '../contract';
import { createCore, type Core } from '../core';
import { createLogger, fileSink } from '../core/shared/log';
import { showStillRunningNotice, watchInboxNotifications } from './notifications';
import { createElectronSecretBox } from './secret-box';
import { createDeskTray, type DeskTray } from './tray';
import { appPaths, createMainWindow, guardAllWebContents, hardenSession } from './window';
import { isOwnPageUrl } from './window-options';

const STATUS_POLL_MS = 30_000;
const FORBIDDEN: Envelope<never> = { ok: false, error: { code: 'forbidden', message: 'This page may not use Pawline.' } };

// Until the data folder is known, lines go to stderr only; then also to <dataDir>/logs.
let sink: (line: string) => void = (l) => process.stderr.write(l + '\n');
const log = createLogger((l) => sink(l));

function dataDirFromArgs(argv: string[]): string | null {
  const arg = argv.find((a) => a.startsWith('--data-dir='));
  return arg ? path.resolve(arg.slice('--data-dir='.length)) : null;
}

function main(): void {
  // Same folder as core/shared/data-dir.ts defaultDataDir(), so `npm run start:web` sees the same
  // desk. Set before taking the lock, which Chromium keeps in the userData folder.
  app.setPath('userData', path.join(app.getPath('appData'), 'Pawline'));
  // One desk process per user: a second launch only brings the first window forward.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  // Windows shows toasts only for an app with an AppUserModelID (matches electron-builder's appId).
  if (process.platform === 'win32') app.setAppUserModelId('org.pawline.desk');
  app.enableSandbox();
  guardAllWebContents(log);

  let win: BrowserWindow | null = null;
  let core: Core | null = null;
  let tray: DeskTray | null = null;
  let quitting = false;
  let shutDown = false;
  let toldAboutTray = false;
  const cleanups: (() => void)[] = [];

  const showWindow = () => {
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };
  app.on('second-instance', showWindow);

  const refreshStatus = async () => {
    if (!core) return;
    const res = await core.invoke('system.status', undefined);
    if (res.ok) tray?.setUnread((res.value as DeskStatus).unreadConversations);
  };

  const start = () => {
    hardenSession(session.defaultSession, log);
    const paths = appPaths();
    const dataDir = dataDirFromArgs(process.argv) ?? app.getPath('userData');
    sink = fileSink(dataDir);
    try {
      core = createCore({
        dataDir,
        host: 'electron',
        version: app.getVersion(),
        logger: log,
        secretBox: createElectronSecretBox(dataDir, log),
        openExternal: (url) => void shell.openExternal(url),
      });
    } catch (e) {
      // e.g. a database from a newer Pawline: the core's message says what to do.
      dialog.showErrorBox('Pawline cannot start', e instanceof Error ? e.message : String(e));
      app.exit(1);
      return;
    }
    const desk = core;

    ipcMain.handle(RPC_CHANNEL, async (e, method: unknown, arg: unknown) => {
      const frame = e.senderFrame;
      if (!win || e.sender !== win.webContents || !frame || frame.parent !== null || !isOwnPageUrl(frame.url, paths.rendererDirUrl)) {
        log.warn('refused a call from an unexpected page');
        return FORBIDDEN;
      }
      return desk.invoke(String(method), arg);
    });
    cleanups.push(() => ipcMain.removeHandler(RPC_CHANNEL));
    cleanups.push(
      desk.events.onAny((event, payload) => {
        if (win && !win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, event, payload);
      }),
    );

    win = createMainWindow(paths, log);
    win.on('close', (e) => {
      if (quitting) return;
      // The daily loop (sending, polling, imports) keeps running; Quit lives in the tray menu.
      e.preventDefault();
      win?.hide();
      if (!toldAboutTray) {
        toldAboutTray = true;
        showStillRunningNotice(path.join(paths.iconDir, '256x256.png'));
      }
    });
    win.on('show', () => tray?.refresh());

    tray = createDeskTray({ iconDir: paths.iconDir, window: () => win, onOpen: showWindow, onQuit: () => app.quit() });
    cleanups.push(() => tray?.destroy());
    cleanups.push(
      desk.events.on('system.status', (s) => tray?.setUnread(s.unreadConversations)),
      watchInboxNotifications({
        events: desk.events,
        isWindowFocused: () => !!win && !win.isDestroyed() && win.isVisible() && win.isFocused(),
        onClick: showWindow,
        iconPath: path.join(paths.iconDir, '256x256.png'),
      }),
      desk.events.onAny((event) => {
        if (event.startsWith('inbox.')) void refreshStatus();
      }),
    );
    const timer = setInterval(() => void refreshStatus(), STATUS_POLL_MS);
    cleanups.push(() => clearInterval(timer));

    desk.start();
    void refreshStatus();
  };

  app.on('before-quit', (e) => {
    quitting = true;
    if (shutDown || !core) return;
    // Hold the quit until the core has stopped its services and closed the database cleanly.
    e.preventDefault();
    const desk = core;
    core = null;
    for (const c of cleanups.splice(0).reverse()) c();
    desk
      .close()
      .catch((err: unknown) => log.error('core did not close cleanly', { error: err instanceof Error ? err.message : String(err) }))
      .finally(() => {
        shutDown = true;
        app.quit();
      });
  });

  app.whenReady().then(start, (e: unknown) => {
    log.error('electron failed to start', { error: e instanceof Error ? e.message : String(e) });
    app.exit(1);
  });
}

main();
