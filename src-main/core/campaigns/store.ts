import type { AudienceCount, AudienceFilter, CampaignContent, CampaignDelivery, CampaignKind, CampaignStatus } from '../../contract';
import type { Db } from '../db/open';
import type { Clock } from '../shared/clock';
import { ApiError } from '../shared/errors';

export interface CampaignRow {
  id: number;
  name: string;
  kind: CampaignKind;
  status: CampaignStatus;
  audience: string;
  delivery: CampaignDelivery;
  content: string;
  emergency_override: number;
  override_confirmed_by: string | null;
  override_confirmed_at: string | null;
  scheduled_local: string | null;
  time_zone: string | null;
  send_at: string | null;
  enqueue_state: 'none' | 'running' | 'done';
  snapshot: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  paused_at: string | null;
  finished_at: string | null;
  cancelled_at: string | null;
}

export interface Campaign {
  row: CampaignRow;
  audience: AudienceFilter;
  content: CampaignContent;
  snapshot: AudienceCount | null;
}

export interface NewCampaign {
  name: string;
  kind: CampaignKind;
  audience: AudienceFilter;
  delivery: CampaignDelivery;
  content: CampaignContent;
  emergencyOverride: boolean;
  createdBy: string | null;
}

type Patch = Partial<Omit<CampaignRow, 'id' | 'created_at'>>;

/** Campaign rows and their audit log. Status changes name the status they expect, so two desks racing cannot both win. */
export function createCampaignStore(db: Db, clock: Clock) {
  const getStmt = db.prepare<[number], CampaignRow>('SELECT * FROM campaigns WHERE id = ?');
  const listStmt = db.prepare<[], CampaignRow>(`
    SELECT * FROM campaigns ORDER BY
      CASE status WHEN 'sending' THEN 0 WHEN 'paused' THEN 1 WHEN 'scheduled' THEN 2 WHEN 'draft' THEN 3 ELSE 4 END,
      coalesce(send_at, updated_at) DESC, id DESC`);
  const insertStmt = db.prepare(`
    INSERT INTO campaigns (name, kind, status, audience, delivery, content, emergency_override, created_by, created_at, updated_at)
    VALUES (@name, @kind, 'draft', @audience, @delivery, @content, @override, @by, @now, @now)`);
  const logStmt = db.prepare('INSERT INTO campaign_log (campaign_id, at, action, by, detail) VALUES (?, ?, ?, ?, ?)');
  const logList = db.prepare<[number], { at: string; action: string; by: string | null; detail: string | null }>(
    'SELECT at, action, by, detail FROM campaign_log WHERE campaign_id = ? ORDER BY id',
  );
  const dueStmt = db.prepare<[string], CampaignRow>("SELECT * FROM campaigns WHERE status = 'scheduled' AND send_at <= ? ORDER BY send_at, id");
  // Delivery reports keep arriving after the last message went out: a finished campaign's figures still move for a day or so.
  const settlingStmt = db.prepare<[string], { id: number }>("SELECT id FROM campaigns WHERE status IN ('finished','cancelled') AND coalesce(finished_at, cancelled_at) >= ?");
  const openStmt = db.prepare<[], CampaignRow>("SELECT * FROM campaigns WHERE status IN ('sending','paused') OR enqueue_state = 'running' ORDER BY id");
  const scheduledStmt = db.prepare<[], CampaignRow>("SELECT * FROM campaigns WHERE status = 'scheduled' ORDER BY id");
  const deleteStmt = db.prepare("DELETE FROM campaigns WHERE id = ? AND status = 'draft'");
  const patchCache = new Map<string, ReturnType<Db['prepare']>>();

  const parse = (row: CampaignRow): Campaign => ({
    row,
    audience: JSON.parse(row.audience) as AudienceFilter,
    content: JSON.parse(row.content) as CampaignContent,
    snapshot: row.snapshot ? (JSON.parse(row.snapshot) as AudienceCount) : null,
  });

  const row = (id: number): CampaignRow => {
    const r = getStmt.get(id);
    if (!r) throw new ApiError('not-found', 'This campaign no longer exists. Reload the list.');
    return r;
  };

  /**
   * Applies `patch` when the campaign is in one of `from` (all statuses when omitted).
   * Returns false when it had moved on, so the caller can tell "already done" from "done now".
   */
  const update = (id: number, patch: Patch, from?: CampaignStatus[]): boolean => {
    const cols = Object.keys(patch).sort();
    const key = `${cols.join(',')}|${from?.join(',') ?? ''}`;
    let stmt = patchCache.get(key);
    if (!stmt) {
      const sets = [...cols.map((c) => `${c} = @${c}`), 'updated_at = @__now'];
      const where = from ? ` AND status IN (${from.map((s) => `'${s}'`).join(',')})` : '';
      stmt = db.prepare(`UPDATE campaigns SET ${sets.join(', ')} WHERE id = @__id${where}`);
      patchCache.set(key, stmt);
    }
    return stmt.run({ ...patch, __id: id, __now: clock.now().toISOString() }).changes > 0;
  };

  return {
    get: (id: number) => parse(row(id)),
    row,
    find: (id: number) => getStmt.get(id),
    list: () => listStmt.all().map(parse),
    insert(c: NewCampaign): number {
      const now = clock.now().toISOString();
      const r = insertStmt.run({
        name: c.name,
        kind: c.kind,
        audience: JSON.stringify(c.audience),
        delivery: c.delivery,
        content: JSON.stringify(c.content),
        override: c.emergencyOverride ? 1 : 0,
        by: c.createdBy,
        now,
      });
      const id = Number(r.lastInsertRowid);
      logStmt.run(id, now, 'created', c.createdBy, null);
      return id;
    },
    update,
    remove: (id: number) => deleteStmt.run(id).changes > 0,
    log(id: number, action: string, by: string | null, detail: string | null = null) {
      logStmt.run(id, clock.now().toISOString(), action, by, detail);
    },
    logOf: (id: number) => logList.all(id),
    due: (now: string) => dueStmt.all(now),
    open: () => openStmt.all(),
    /** Finished or cancelled since `since` (ISO): their progress is still pushed as reports come in. */
    settling: (since: string) => settlingStmt.all(since).map((r) => r.id),
    scheduled: () => scheduledStmt.all(),
  };
}

export type CampaignStore = ReturnType<typeof createCampaignStore>;
