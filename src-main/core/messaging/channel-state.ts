import type { Db } from '../db/open';
import type { Clock } from '../shared/clock';

export type ChannelName = 'sms' | 'email';
export const CHANNELS: ChannelName[] = ['sms', 'email'];

export interface ChannelPause {
  /** What the desk reads: the problem and what to do about it. */
  reason: string;
  /** Resumes by itself at this instant (quota reset); null = until someone fixes the settings or resumes. */
  until: string | null;
  since: string;
}

export interface ChannelOffline {
  since: string;
  reason: string;
}

/**
 * Pauses are persisted (bad credentials stay bad across a restart: the desk must not hammer the provider
 * with them); "offline" lives in memory, because a restart should simply try the network again.
 */
export interface ChannelStates {
  paused(ch: ChannelName): ChannelPause | null;
  pause(ch: ChannelName, reason: string, until?: Date | null): void;
  resume(ch: ChannelName): boolean;
  /** Clears pauses whose `until` has passed; returns the channels that resumed. */
  expirePauses(): ChannelName[];
  offline(ch: ChannelName): ChannelOffline | null;
  setOffline(ch: ChannelName, reason: string): boolean;
  setOnline(ch: ChannelName): boolean;
}

export function createChannelStates(db: Db, clock: Clock): ChannelStates {
  const get = db.prepare<[string], { state: string; reason: string | null; until: string | null; since: string }>(
    'SELECT state, reason, until, since FROM channel_state WHERE channel = ?',
  );
  const put = db.prepare(
    `INSERT INTO channel_state (channel, state, reason, until, since) VALUES (?, 'paused', ?, ?, ?)
     ON CONFLICT(channel) DO UPDATE SET state = excluded.state, reason = excluded.reason, until = excluded.until,
       since = CASE WHEN channel_state.state = 'paused' THEN channel_state.since ELSE excluded.since END`,
  );
  const del = db.prepare('DELETE FROM channel_state WHERE channel = ?');
  const offline = new Map<ChannelName, ChannelOffline>();
  // Read on every dispatcher pass: cached, and this module is the only writer.
  const cache = new Map<ChannelName, ChannelPause | null>();

  const paused = (ch: ChannelName): ChannelPause | null => {
    if (cache.has(ch)) return cache.get(ch)!;
    const r = get.get(ch);
    const p = r && r.state === 'paused' ? { reason: r.reason ?? 'Paused', until: r.until, since: r.since } : null;
    cache.set(ch, p);
    return p;
  };

  return {
    paused,
    pause(ch, reason, until = null) {
      cache.delete(ch);
      put.run(ch, reason, until ? until.toISOString() : null, clock.now().toISOString());
    },
    resume: (ch) => {
      cache.delete(ch);
      return del.run(ch).changes > 0;
    },
    expirePauses() {
      const now = clock.now().toISOString();
      const out: ChannelName[] = [];
      for (const ch of CHANNELS) {
        const p = paused(ch);
        if (p?.until && p.until <= now) {
          cache.delete(ch);
          del.run(ch);
          out.push(ch);
        }
      }
      return out;
    },
    offline: (ch) => offline.get(ch) ?? null,
    setOffline(ch, reason) {
      if (offline.has(ch)) return false;
      offline.set(ch, { since: clock.now().toISOString(), reason });
      return true;
    },
    setOnline: (ch) => offline.delete(ch),
  };
}
