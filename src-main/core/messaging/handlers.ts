import type { ChannelStatus, Handlers, OutboxCounts, OutboxStatus, OutboxView } from '../../contract';
import type { Db } from '../db/open';
import type { Clock } from '../shared/clock';
import { ApiError } from '../shared/errors';
import type { ChannelName } from './channel-state';
import type { Dispatcher } from './dispatcher';
import type { Outbox } from './outbox';
import { describeWait, toItem } from './outbox-view';
import type { MessageRow } from './types';

type OutboxHandlers = Pick<Handlers, `outbox.${string}` & keyof Handlers>;

const VIEW_STATUSES: Record<OutboxView, OutboxStatus[] | null> = {
  waiting: ['waiting', 'sending'],
  scheduled: ['queued'],
  failed: ['failed', 'undelivered', 'expired', 'withdrawn'],
  sent: ['sent', 'delivered'],
  all: null,
};

const ALL_STATUSES: OutboxStatus[] = ['queued', 'waiting', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'cancelled', 'withdrawn', 'expired'];

export interface OutboxHandlerDeps {
  db: Db;
  clock: Clock;
  outbox: Outbox;
  dispatcher: Dispatcher;
  channels(): ChannelStatus[];
  resume(ch: ChannelName): void;
  onChanged(ids: number[]): void;
}

export function outboxHandlers(d: OutboxHandlerDeps): OutboxHandlers {
  const { db } = d;
  const listStmts = new Map<string, { items: ReturnType<Db['prepare']>; total: ReturnType<Db['prepare']> }>();
  const eventsStmt = db.prepare<[number], { at: string; from_status: OutboxStatus | null; to_status: OutboxStatus; code: string | null; detail: string | null }>(
    'SELECT at, from_status, to_status, code, detail FROM message_events WHERE message_id = ? ORDER BY id',
  );
  const countsStmt = db.prepare<[], { status: OutboxStatus; n: number }>('SELECT status, COUNT(*) n FROM messages GROUP BY status');
  const reasonsStmt = db.prepare<[], { reason: string; n: number }>(
    "SELECT wait_reason reason, COUNT(*) n FROM messages WHERE status = 'waiting' AND wait_reason IS NOT NULL GROUP BY wait_reason ORDER BY n DESC",
  );
  const failedTodayStmt = db.prepare<[string], { n: number }>(
    "SELECT COUNT(*) n FROM messages WHERE status IN ('failed','undelivered') AND final_at >= ?",
  );
  const getStmt = db.prepare<[number], MessageRow>('SELECT * FROM messages WHERE id = ?');
  const retryStmt = db.prepare(`
    UPDATE messages SET status = 'queued', wait_reason = NULL, error_code = NULL, error_message = NULL, attempts = 0, next_attempt_at = NULL,
      final_at = NULL, provider_id = NULL, claim_id = NULL, delivery_retries = 0,
      expires_at = CASE WHEN status = 'expired' THEN NULL ELSE expires_at END, updated_at = ?
    WHERE id = ? AND status IN ('failed','undelivered','expired')`);
  const eventStmt = db.prepare('INSERT INTO message_events (message_id, at, from_status, to_status, code, detail) VALUES (?, ?, ?, ?, ?, ?)');

  /*
   * A message's history starts with its creation. The outbox stops writing that event row (the
   * message row's created_at and created_by say the same, and a 60,000-message campaign paid for
   * 60,000 of them); rows queued before that still carry one, which is then used as it is.
   */
  const history = (r: MessageRow) => {
    const stored = eventsStmt.all(r.id);
    const events = stored.map((e) => ({ at: e.at, from: e.from_status, to: e.to_status, code: e.code, detail: e.detail }));
    if (stored[0]?.from_status === null) return events;
    return [{ at: r.created_at, from: null, to: 'queued' as const, code: null, detail: r.created_by }, ...events];
  };

  const list = (statuses: OutboxStatus[] | null, channel: string | undefined) => {
    const key = `${statuses?.join(',') ?? '*'}|${channel ?? ''}`;
    let s = listStmts.get(key);
    if (!s) {
      const where: string[] = [];
      if (statuses) where.push(`status IN (${statuses.map((x) => `'${x}'`).join(',')})`);
      if (channel) where.push('channel = @channel');
      const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const and = where.length ? 'AND' : 'WHERE';
      s = {
        items: db.prepare(`SELECT * FROM messages ${w} ${and} id < @before ORDER BY id DESC LIMIT @limit`),
        total: db.prepare(`SELECT COUNT(*) n FROM messages ${w}`),
      };
      listStmts.set(key, s);
    }
    return s;
  };

  const ids = (arg: { ids: number[] }) => {
    if (!Array.isArray(arg?.ids) || arg.ids.some((x) => !Number.isInteger(x))) throw new ApiError('validation', 'Choose the messages first.');
    return arg.ids.slice(0, 10_000);
  };

  return {
    'outbox.list': ({ view, channel, limit, beforeId }) => {
      if (!(view in VIEW_STATUSES)) throw new ApiError('validation', `Unknown outbox view: ${String(view)}`);
      if (channel && channel !== 'sms' && channel !== 'email') throw new ApiError('validation', 'Channel is sms or email.');
      const s = list(VIEW_STATUSES[view], channel);
      const args = { channel, before: beforeId ?? Number.MAX_SAFE_INTEGER, limit: Math.min(Math.max(1, limit ?? 200), 1000) };
      const now = d.clock.now().toISOString();
      const rows = s.items.all(channel ? args : { before: args.before, limit: args.limit }) as MessageRow[];
      const total = (s.total.get(channel ? { channel } : {}) as { n: number }).n;
      return { items: rows.map((r) => toItem(r, now)), total };
    },
    'outbox.get': ({ id }) => {
      const r = getStmt.get(id);
      if (!r) throw new ApiError('not-found', 'That message no longer exists.');
      return {
        item: toItem(r, d.clock.now().toISOString()),
        events: history(r),
      };
    },
    'outbox.counts': (): OutboxCounts => {
      const byStatus = Object.fromEntries(ALL_STATUSES.map((s) => [s, 0])) as Record<OutboxStatus, number>;
      for (const r of countsStmt.all()) byStatus[r.status] = r.n;
      const since = new Date(d.clock.now().getTime() - 24 * 3600_000).toISOString();
      return {
        byStatus,
        waitingByReason: reasonsStmt.all().map((r) => ({ reason: r.reason, why: describeWait(r.reason, null) ?? r.reason, count: r.n })),
        failedToday: failedTodayStmt.get(since)?.n ?? 0,
      };
    },
    'outbox.retry': (arg) => {
      const list = ids(arg);
      const now = d.clock.now().toISOString();
      const changed = db.transaction(() => {
        const out: number[] = [];
        for (const id of list) {
          const r = getStmt.get(id);
          if (!r) continue;
          if (retryStmt.run(now, id).changes) {
            eventStmt.run(id, now, r.status, 'queued', null, `retry asked by the desk${r.provider_id ? ` (previous attempt ${r.provider_id})` : ''}`);
            out.push(id);
          }
        }
        return out;
      })();
      if (changed.length) {
        d.onChanged(changed);
        d.dispatcher.wake();
      }
      return { retried: changed.length };
    },
    'outbox.cancel': (arg) => {
      const n = d.outbox.withdraw({ ids: ids(arg) }, 'Cancelled at the desk', 'cancelled');
      return { cancelled: n };
    },
    'outbox.progress': () => d.dispatcher.progress(),
    'outbox.channels': () => d.channels(),
    'outbox.resumeChannel': ({ channel }) => {
      if (channel !== 'sms' && channel !== 'email') throw new ApiError('validation', 'Channel is sms or email.');
      d.resume(channel);
      return d.channels();
    },
  };
}
