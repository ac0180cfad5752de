import type { Db } from '../db/open';
import { createDraftInsert, type DraftInsert } from '../messaging/draft-insert';
import type { OutboundDraft } from '../messaging/types';
import { createHolds, type CampaignHolds } from './hold';
import { dedupeKey, ROW_WIDTH, type FromWriter, type PackedRows, type WriterSetup } from './writer-protocol';

/** Rows inserted between two looks at whether the desk waits for the lock (a few ms of inserting). */
const SLICE = 250;

/**
 * A campaign's rows going into the outbox on a connection of their own (campaigns/writer-thread.ts
 * runs it). Pages are written into one transaction until it has held the write lock for
 * `maxTxMs`, or no page has come for that long; each commit is reported with the ids it inserted.
 *
 * Every transaction first reads the campaign's status, under the write lock: cancelled (or gone)
 * stops the writing for good, paused parks what this transaction inserted. A pause or cancel from
 * the desk waits for the transaction in progress, so every row is either written before it (and
 * the desk's pause/cancel handles it) or after it (and this writer does).
 */
export class RowWriter {
  private readonly insert: DraftInsert;
  private readonly holds: CampaignHolds;
  private readonly status;
  private readonly notBefore: Date;
  private readonly skewMs: number;
  private open = false;
  private since = 0;
  private paused = false;
  private inserted: number[] = [];
  private duplicates = 0;
  private idle: NodeJS.Timeout | null = null;
  private readonly want: Int32Array | null;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly s: WriterSetup,
    private readonly post: (m: FromWriter) => void,
    /** A commit the idle timer ran failed. */
    private readonly onError: (e: unknown) => void,
  ) {
    this.insert = createDraftInsert(db);
    this.holds = createHolds(db);
    this.status = db.prepare<[number], string>('SELECT status FROM campaigns WHERE id = ?').pluck();
    this.notBefore = new Date(s.notBefore);
    // The desk's clock may be a test's fixed one: keep to it, moving at the wall clock's pace.
    this.skewMs = Date.parse(s.now) - Date.now();
    this.want = s.deskLock ? new Int32Array(s.deskLock) : null;
  }

  private now(): string {
    return new Date(Date.now() + this.skewMs).toISOString();
  }

  /** The desk has a transaction waiting for the lock, or running. */
  private deskWaiting(): boolean {
    return this.want !== null && Atomics.load(this.want, 0) > 0;
  }

  /** Starts a transaction once the desk has none waiting; false when the campaign no longer sends. */
  private begin(): boolean {
    while (this.deskWaiting()) Atomics.wait(this.want!, 0, Atomics.load(this.want!, 0), 50);
    this.db.exec('BEGIN IMMEDIATE');
    const st = this.status.get(this.s.campaignId);
    if (st !== 'sending' && st !== 'paused') {
      this.db.exec('ROLLBACK');
      this.stopped = true;
      this.post({ t: 'stopped' });
      return false;
    }
    this.open = true;
    this.paused = st === 'paused';
    this.since = performance.now();
    return true;
  }

  rows(v: PackedRows): void {
    if (this.stopped) {
      // Pages the desk sent before it heard: each gets the same answer.
      this.post({ t: 'stopped' });
      return;
    }
    this.clearIdle();
    // A page in slices, so that a desk transaction waiting for the lock gets it within one slice.
    for (let at = 0; at < v.length; at += SLICE * ROW_WIDTH) {
      if (!this.open && !this.begin()) return;
      const drafts = this.drafts(v, at, Math.min(v.length, at + SLICE * ROW_WIDTH));
      const ids = this.insert(drafts, this.s.pricePerSegment, this.now());
      for (const id of ids) this.inserted.push(id);
      this.duplicates += drafts.length - ids.length;
      if (this.deskWaiting()) this.commit();
    }
    if (!this.open) return;
    const left = this.s.maxTxMs - (performance.now() - this.since);
    if (left <= 0) this.commit();
    // No page for a while (the desk is busy elsewhere): do not sit on the lock waiting for one.
    else
      this.idle = setTimeout(() => {
        try {
          this.commit();
        } catch (e) {
          this.onError(e);
        }
      }, left);
  }

  private drafts(v: PackedRows, from: number, to: number): OutboundDraft[] {
    const { campaignId, kind, createdBy, meta } = this.s;
    const out: OutboundDraft[] = [];
    for (let i = from; i < to; i += ROW_WIDTH) {
      const clientId = v[i] as number;
      const sms = v[i + 1] === 0;
      const segments = v[i + 6] as number | null;
      out.push({
        dedupeKey: dedupeKey(campaignId, clientId, sms ? 'sms' : 'email'),
        channel: sms ? 'sms' : 'email',
        kind,
        clientId,
        campaignId,
        to: v[i + 2] as string,
        subject: (v[i + 3] as string | null) ?? undefined,
        body: v[i + 4] as string,
        html: (v[i + 5] as string | null) ?? undefined,
        // The desk analysed these very texts while rendering them: the insert need not again.
        analysis: segments !== null ? { segments, encoding: v[i + 7] as 'GSM-7' | 'UCS-2' } : undefined,
        notBefore: this.notBefore,
        createdBy,
        meta,
      });
    }
    return out;
  }

  private clearIdle(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
  }

  commit(): void {
    this.clearIdle();
    if (!this.open) return;
    const held = this.paused && this.inserted.length ? this.holds.hold(this.s.campaignId, this.now()) : [];
    this.db.exec('COMMIT');
    this.open = false;
    const m: FromWriter = { t: 'committed', inserted: this.inserted, duplicates: this.duplicates, held };
    this.inserted = [];
    this.duplicates = 0;
    this.post(m);
  }

  /** The last page is in: commit it, and copy the log back into the database while the desk goes on. */
  end(): void {
    this.commit();
    this.db.pragma('wal_checkpoint(PASSIVE)');
  }

  abort(): void {
    this.clearIdle();
    if (this.open && this.db.inTransaction) this.db.exec('ROLLBACK');
    this.open = false;
  }
}
