import { useCallback, useEffect, useState } from 'react';
import { currentFormat } from '../../ui/format';

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

/** Time alone today (clinic's day), else the date; in the clinic's zone. */
export function timeLabel(iso: string): string {
  const f = currentFormat();
  if (f.day(iso) === f.day(new Date())) return f.time(iso);
  const d = new Date(iso);
  return new Intl.DateTimeFormat(f.locale, { timeZone: f.timeZone, month: 'short', day: 'numeric', year: f.day(iso).slice(0, 4) === f.day(new Date()).slice(0, 4) ? undefined : 'numeric' }).format(d);
}

export function fullTime(iso: string): string {
  return currentFormat().longDateTime(iso);
}
