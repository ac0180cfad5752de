import { Menu, Tray, app, nativeImage, type BrowserWindow } from 'electron';
import path from 'node:path';
import { drawBadge } from './badge-bitmap';

export interface DeskTray {
  setUnread(count: number): void;
  /** Re-applies the badge: Windows drops the overlay when the taskbar button goes away with a hidden window. */
  refresh(): void;
  destroy(): void;
}

export interface DeskTrayOptions {
  iconDir: string;
  window(): BrowserWindow | null;
  onOpen(): void;
  onQuit(): void;
}

function tooltip(count: number): string {
  if (count <= 0) return 'Pawline';
  return `Pawline: ${count} unread conversation${count === 1 ? '' : 's'}`;
}

/** Tray icon, its menu, and the unread badge (dock/launcher count, or the taskbar overlay on Windows). */
export function createDeskTray(o: DeskTrayOptions): DeskTray {
  const icon = nativeImage.createFromPath(path.join(o.iconDir, process.platform === 'win32' ? 'icon.ico' : 'tray.png'));
  const tray = new Tray(icon);
  tray.setToolTip(tooltip(0));
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Open Pawline', click: () => o.onOpen() },
      { type: 'separator' },
      { label: 'Quit Pawline', click: () => o.onQuit() },
    ]),
  );
  // Windows and most Linux panels open the app on a plain click.
  tray.on('click', () => o.onOpen());

  let last = -1;
  const deskTray = {
    setUnread(count: number) {
      const n = Math.max(0, Math.floor(count));
      if (n === last) return;
      last = n;
      tray.setToolTip(tooltip(n));
      // setBadgeCount works on macOS and Unity launchers and returns false elsewhere.
      app.setBadgeCount(n);
      if (process.platform === 'win32') {
        const win = o.window();
        if (!win || win.isDestroyed()) return;
        if (n === 0) win.setOverlayIcon(null, '');
        else {
          const b = drawBadge(n);
          win.setOverlayIcon(nativeImage.createFromBitmap(b.data, { width: b.width, height: b.height }), tooltip(n));
        }
      }
    },
    refresh() {
      const n = Math.max(last, 0);
      last = -1;
      deskTray.setUnread(n);
    },
    destroy() {
      tray.destroy();
    },
  };
  return deskTray;
}
