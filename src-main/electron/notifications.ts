import { Notification } from 'electron';
import type { EventBus } from '../core/shared/events';
import { notificationTextFor } from './notification-text';

export interface InboxNotifierOptions {
  events: EventBus;
  /** Skip the toast when the receptionist is already looking at the window. */
  isWindowFocused(): boolean;
  onClick(): void;
  iconPath: string;
}

/**
 * Desktop notification for each new inbound text. The contract may not declare
 * 'inbox.message' yet, so it listens to every event and matches the name.
 */
export function watchInboxNotifications(o: InboxNotifierOptions): () => void {
  // Hold references until shown/closed: a collected Notification loses its click handler on Windows.
  const live = new Set<Notification>();
  const off = o.events.onAny((event, payload) => {
    const text = notificationTextFor(event, payload);
    if (!text || o.isWindowFocused() || !Notification.isSupported()) return;
    const n = new Notification({ title: text.title, body: text.body, icon: o.iconPath });
    live.add(n);
    n.on('click', () => {
      live.delete(n);
      o.onClick();
    });
    n.on('close', () => live.delete(n));
    n.show();
  });
  return () => {
    off();
    for (const n of live) n.close();
    live.clear();
  };
}

/** Shown once per run, the first time the window is closed, so nobody thinks the desk stopped. */
export function showStillRunningNotice(iconPath: string): void {
  if (!Notification.isSupported()) return;
  new Notification({
    title: 'Pawline is still running',
    body: 'Reminders and replies keep flowing. Open Pawline from the tray icon, or quit it there.',
    icon: iconPath,
    silent: true,
  }).show();
}
