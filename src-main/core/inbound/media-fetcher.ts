import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/open';
import type { DownloadedMedia } from '../messaging/channels/twilio-media';
import type { TwilioMediaRef } from '../messaging/channels/twilio-channel';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/log';

/** The two Twilio calls media needs; the poller passes the live channel. */
export interface MediaSource {
  listMedia(messageSid: string): Promise<TwilioMediaRef[]>;
  downloadMedia(url: string): Promise<DownloadedMedia>;
}

/** Automatic retries, then a person presses Retry. */
export const MEDIA_BACKOFF_MS = [30_000, 120_000, 600_000, 3_600_000, 6 * 3_600_000];

const EXT: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/jpg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'image/heif': 'heif',
  'image/bmp': 'bmp',
  'video/mp4': 'mp4',
  'video/3gpp': '3gp',
  'video/quicktime': 'mov',
  'audio/mpeg': 'mp3',
  'audio/amr': 'amr',
  'application/pdf': 'pdf',
  'text/vcard': 'vcf',
  'text/x-vcard': 'vcf',
  'text/plain': 'txt',
};

export function extensionFor(contentType: string): string {
  return EXT[contentType.split(';')[0]!.trim().toLowerCase()] ?? 'bin';
}

interface DueRow {
  id: number;
  twilio_sid: string;
  received_at: string;
  media_attempts: number;
}

export interface MediaFetcher {
  /** Downloads every media item of one message that is not stored yet. */
  fetch(messageId: number): Promise<'stored' | 'failed' | 'busy'>;
  /** Messages whose (re)try time has come; returns how many were tried. */
  processDue(limit?: number): Promise<number>;
  /** A person asked to try again now. */
  retry(messageId: number): boolean;
}

export function createMediaFetcher(o: {
  db: Db;
  clock: Clock;
  dataDir: string;
  log: Logger;
  source: () => MediaSource | null;
  onChange?: (messageId: number) => void;
}): MediaFetcher {
  const { db, clock } = o;
  const msg = db.prepare<[number], DueRow>('SELECT id, twilio_sid, received_at, media_attempts FROM inbound_messages WHERE id = ?');
  const due = db.prepare<[string, number], { id: number }>(
    "SELECT id FROM inbound_messages WHERE media_state IN ('pending','failed') AND media_next_at IS NOT NULL AND media_next_at <= ? ORDER BY media_next_at LIMIT ?",
  );
  const upsertItem = db.prepare(`
    INSERT INTO inbound_media (message_id, media_sid, position, content_type, state, updated_at) VALUES (?, ?, ?, ?, 'pending', ?)
    ON CONFLICT(media_sid) DO NOTHING`);
  const items = db.prepare<[number], { id: number; media_sid: string; position: number; content_type: string; state: string }>(
    'SELECT id, media_sid, position, content_type, state FROM inbound_media WHERE message_id = ? ORDER BY position',
  );
  const stored = db.prepare("UPDATE inbound_media SET state = 'stored', file = ?, bytes = ?, content_type = ?, error = NULL, updated_at = ? WHERE id = ?");
  const failed = db.prepare("UPDATE inbound_media SET state = 'failed', error = ?, updated_at = ? WHERE id = ?");
  const done = db.prepare("UPDATE inbound_messages SET media_state = 'stored', media_error = NULL, media_next_at = NULL WHERE id = ?");
  const fail = db.prepare("UPDATE inbound_messages SET media_state = 'failed', media_error = ?, media_attempts = ?, media_next_at = ? WHERE id = ?");
  const again = db.prepare("UPDATE inbound_messages SET media_attempts = 0, media_next_at = ?, media_state = 'pending' WHERE id = ? AND media_state IN ('failed','pending')");

  const inFlight = new Set<number>();

  const fetch = async (messageId: number): Promise<'stored' | 'failed' | 'busy'> => {
    if (inFlight.has(messageId)) return 'busy';
    const m = msg.get(messageId);
    if (!m) return 'failed';
    inFlight.add(messageId);
    let error: string | null = null;
    try {
      const src = o.source();
      if (!src) throw new Error('Twilio is not set up, so pictures cannot be downloaded yet.');
      const refs = await src.listMedia(m.twilio_sid);
      const t = clock.now().toISOString();
      db.transaction(() => refs.forEach((r, i) => upsertItem.run(messageId, r.sid, i, r.contentType, t)))();
      const byId = new Map(refs.map((r) => [r.sid, r]));
      const month = m.received_at.slice(0, 7);
      const dir = path.join(o.dataDir, 'media', month);
      for (const it of items.all(messageId)) {
        if (it.state === 'stored') continue;
        const ref = byId.get(it.media_sid);
        if (!ref) continue;
        try {
          const got = await src.downloadMedia(ref.url);
          const type = got.contentType.split(';')[0]!.trim() || it.content_type;
          const rel = path.join('media', month, `${m.twilio_sid}-${it.media_sid}.${extensionFor(type)}`);
          mkdirSync(dir, { recursive: true });
          // Write then rename: a crash never leaves a half picture under the final name.
          const tmp = path.join(o.dataDir, rel + '.part');
          writeFileSync(tmp, got.bytes);
          renameSync(tmp, path.join(o.dataDir, rel));
          stored.run(rel.split(path.sep).join('/'), got.bytes.length, type, clock.now().toISOString(), it.id);
        } catch (e) {
          error = e instanceof Error ? e.message : String(e);
          failed.run(error, clock.now().toISOString(), it.id);
        }
      }
      if (refs.length === 0) error = 'Twilio lists no pictures for this message yet.';
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    } finally {
      inFlight.delete(messageId);
    }
    if (error === null) {
      done.run(messageId);
    } else {
      const attempts = m.media_attempts + 1;
      const wait = MEDIA_BACKOFF_MS[attempts - 1];
      const next = wait === undefined ? null : new Date(clock.now().getTime() + wait).toISOString();
      fail.run(error, attempts, next, messageId);
      o.log.warn('inbound media download failed', { messageId, attempts, error });
    }
    o.onChange?.(messageId);
    return error === null ? 'stored' : 'failed';
  };

  return {
    fetch,
    async processDue(limit = 10) {
      const ids = due.all(clock.now().toISOString(), limit).map((r) => r.id);
      for (const id of ids) await fetch(id);
      return ids.length;
    },
    retry(messageId) {
      return again.run(clock.now().toISOString(), messageId).changes > 0;
    },
  };
}
