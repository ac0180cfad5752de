import { useCallback, useEffect, useState } from 'react';

const KEY = 'pawline.staff';

/** Who sits at this desk: kept per browser/window, used for "mine", assignment and the thread's history. */
export function useMe(): [string, (name: string) => void] {
  const [me, setMe] = useState<string>(() => {
    try {
      return localStorage.getItem(KEY) ?? '';
    } catch {
      return '';
    }
  });
  useEffect(() => {
    const onStorage = (e: StorageEvent) => e.key === KEY && setMe(e.newValue ?? '');
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);
  const set = useCallback((name: string) => {
    const v = name.trim();
    setMe(v);
    try {
      localStorage.setItem(KEY, v);
    } catch {
      /* private mode: the name lasts for this session */
    }
  }, []);
  return [me, set];
}

/** A fresh id per draft, so a double click or a retried call never sends twice. */
export function newRequestId(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

export function timeLabel(iso: string): string {
  const d = new Date(iso);
  const now = new Date();
  const sameDay = d.toDateString() === now.toDateString();
  return sameDay
    ? d.toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' })
    : d.toLocaleDateString([], { month: 'short', day: 'numeric' }) + (d.getFullYear() === now.getFullYear() ? '' : ` ${d.getFullYear()}`);
}

export function fullTime(iso: string): string {
  return new Date(iso).toLocaleString([], { weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
}
