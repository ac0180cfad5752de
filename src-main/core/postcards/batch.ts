import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ClinicProfile, PostcardBatchSummary, PostcardPending, PostcardProblem } from '../../contract';
import type { Db } from '../db/open';
import type { Outbox } from '../messaging/outbox';
import { localDate } from '../schedule/local-time';
import type { SettingsStore } from '../settings/store';
import type { Clock } from '../shared/clock';
import { ApiError } from '../shared/errors';
import { checkAddress, type ClientAddress } from './address';
import { pageCount, renderBatch } from './render';

/**
 * A batch is the postcards printed together. Its messages carry provider_id 'postcard:<batch>' and
 * status 'sent' (a postcard gets no delivery report), to_address holds the label printed, and a
 * settings document 'postcards.batch.<id>' keeps the clinic's return address as printed and the
 * card order, so the PDF can be rebuilt byte for byte from the database alone.
 */
export const PROVIDER_PREFIX = 'postcard:';
const DOC_PREFIX = 'postcards.batch.';
const BATCH_ID = /^\d{4}-\d{2}-\d{2}-\d{1,4}$/;

interface BatchDoc {
  id: string;
  createdAt: string;
  clinic: { name: string; lines: string[]; phone: string };
  /** Message ids in printing order. */
  ids: number[];
}

interface Candidate extends ClientAddress {
  id: number;
  status: 'queued' | 'waiting';
  wait_reason: string | null;
}

export interface PostcardDeps {
  db: Db;
  clock: Clock;
  settings: SettingsStore;
  outbox: Outbox;
  dataDir: string;
}

export function clinicSnapshot(c: ClinicProfile): BatchDoc['clinic'] {
  const a = c.address;
  const last = `${a.city}${a.region ? `, ${a.region}` : ''}  ${a.postalCode}`.trim();
  return { name: c.name, lines: [a.line1, a.line2 ?? '', last].map((s) => s.trim()).filter(Boolean), phone: c.phone };
}

export function createPostcardBatches(d: PostcardDeps) {
  const { db } = d;
  const dir = path.join(d.dataDir, 'postcards');
  // Rides the dispatcher's partial index (channel, priority, not_before) over open messages.
  const due = db.prepare<[string, string], Candidate>(`
    SELECT m.id, m.status, m.wait_reason, m.client_id AS client_id, c.first_name, c.last_name, c.address1, c.address2, c.city, c.region,
           c.postal_code, c.country, c.gone
      FROM messages m LEFT JOIN clients c ON c.id = m.client_id
     WHERE m.status IN ('queued','waiting') AND m.channel = 'postcard' AND m.not_before <= ?
       AND (m.expires_at IS NULL OR m.expires_at > ?)
     ORDER BY m.id`);
  const laterStmt = db.prepare<[string], { n: number }>(
    "SELECT COUNT(*) AS n FROM messages WHERE status IN ('queued','waiting') AND channel = 'postcard' AND not_before > ?",
  );
  const setLabel = db.prepare("UPDATE messages SET to_address = ? WHERE id = ? AND status IN ('queued','waiting') AND channel = 'postcard'");
  // provider_id range scans use messages_provider (003).
  const batchIdsOfDay = db.prepare<[string, string], { provider_id: string }>(
    'SELECT DISTINCT provider_id FROM messages WHERE provider_id >= ? AND provider_id < ?',
  );
  const listStmt = db.prepare<[string, string, number], { provider_id: string; created: string; n: number }>(`
    SELECT provider_id, MIN(sent_at) AS created, COUNT(*) AS n FROM messages
     WHERE provider_id >= ? AND provider_id < ? AND channel = 'postcard'
     GROUP BY provider_id ORDER BY created DESC, provider_id DESC LIMIT ?`);
  const batchRows = db.prepare<[string], { id: number; to_address: string; body: string; sent_at: string | null }>(
    "SELECT id, to_address, body, sent_at FROM messages WHERE provider_id = ? AND channel = 'postcard' ORDER BY id",
  );

  const home = (): 'US' | 'CA' => d.settings.clinic()?.address.country ?? 'US';

  const nameOf = (c: Candidate) => [c.first_name, c.last_name].filter((s) => s && s.trim()).join(' ').trim() || null;

  /** Sorts due postcards into printable ones and problems, without changing anything. */
  const sortDue = (nowIso: string) => {
    const ok: { id: number; lines: string[]; sortKey: string }[] = [];
    const problems: (PostcardProblem & { row: Candidate })[] = [];
    const country = home();
    for (const c of due.all(nowIso, nowIso)) {
      const r = checkAddress(c, country);
      if (r.ok) ok.push({ id: c.id, lines: r.lines, sortKey: r.sortKey });
      else problems.push({ messageId: c.id, clientId: c.client_id, clientName: nameOf(c), reason: r.reason, detail: r.detail, row: c });
    }
    return { ok, problems };
  };

  const publicProblems = (ps: (PostcardProblem & { row: Candidate })[]): PostcardProblem[] => ps.map(({ row: _row, ...p }) => p);

  const nextBatchId = (day: string): string => {
    let max = 0;
    for (const r of batchIdsOfDay.all(`${PROVIDER_PREFIX}${day}-`, `${PROVIDER_PREFIX}${day}.`)) {
      const n = Number(r.provider_id.slice(PROVIDER_PREFIX.length + day.length + 1));
      if (Number.isInteger(n)) max = Math.max(max, n);
    }
    // A batch document left by a rolled-back write must not be reused under another content.
    while (d.settings.getDoc(`${DOC_PREFIX}${day}-${max + 1}`)) max++;
    return `${day}-${max + 1}`;
  };

  const summary = (doc: Pick<BatchDoc, 'id' | 'createdAt'>, cards: number): PostcardBatchSummary => ({
    id: doc.id,
    createdAt: doc.createdAt,
    cards,
    pages: pageCount(cards),
    fileName: `postcards-${doc.id}.pdf`,
  });

  /** What a batch printed, from the database: its cards in order and the return address as printed. */
  const load = (id: string) => {
    const rows = batchRows.all(PROVIDER_PREFIX + id);
    if (!rows.length) throw new ApiError('not-found', `There is no postcard batch ${id}.`);
    const saved = d.settings.getDoc<BatchDoc>(DOC_PREFIX + id);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const order = saved ? saved.ids.filter((i) => byId.has(i)) : rows.map((r) => r.id);
    const current = d.settings.clinic();
    return {
      id,
      createdAt: saved?.createdAt ?? rows[0].sent_at ?? new Date(0).toISOString(),
      clinic: saved?.clinic ?? (current ? clinicSnapshot(current) : { name: '', lines: [], phone: '' }),
      cards: order.map((i) => ({ to: byId.get(i)!.to_address.split('\n'), body: byId.get(i)!.body })),
    };
  };

  /** Rebuilds a batch's PDF from the database (the same bytes every time). */
  const render = async (id: string): Promise<{ pdf: Buffer; summary: PostcardBatchSummary }> => {
    const b = load(id);
    const pdf = await renderBatch({ batchId: id, createdAt: new Date(b.createdAt), clinic: b.clinic, cards: b.cards });
    return { pdf, summary: summary(b, b.cards.length) };
  };

  const writeFile = (id: string, pdf: Buffer) => {
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${id}.pdf`);
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, pdf);
    renameSync(tmp, file);
    return file;
  };

  return {
    dir,

    pending(): PostcardPending {
      const now = d.clock.now().toISOString();
      const s = sortDue(now);
      return { ready: s.ok.length, problems: publicProblems(s.problems), later: laterStmt.get(now)?.n ?? 0 };
    },

    /**
     * Picks every due postcard, marks the printable ones sent under a new batch id (one transaction),
     * then renders the PDF from what was recorded. Problems stay in the queue, waiting with a reason
     * the Outbox shows, until the address is fixed or someone cancels them.
     */
    async generate(): Promise<{ batch: PostcardBatchSummary | null; problems: PostcardProblem[]; file: string | null }> {
      const clinic = d.settings.clinic();
      if (!clinic) throw new ApiError('postcards.clinic', 'Set up the clinic profile (name, postal address, phone) in Settings first: it is the return address on every card.');
      const now = d.clock.now();
      const nowIso = now.toISOString();
      const picked = db.transaction(() => {
        const s = sortDue(nowIso);
        for (const p of s.problems) {
          const reason = `No postcard printed: ${p.detail}`;
          if (p.row.status !== 'waiting' || p.row.wait_reason !== reason) d.outbox.transition(p.messageId, ['queued', 'waiting'], 'waiting', { wait_reason: reason });
        }
        if (!s.ok.length) return { id: null, problems: s.problems, count: 0 };
        const id = nextBatchId(localDate(now, clinic.timeZone));
        s.ok.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : a.id - b.id));
        for (const c of s.ok) {
          setLabel.run(c.lines.join('\n'), c.id);
          const ok = d.outbox.transition(
            c.id,
            ['queued', 'waiting'],
            'sent',
            { provider_id: PROVIDER_PREFIX + id, sent_at: nowIso, wait_reason: null, claim_id: null },
            `printed in postcard batch ${id}`,
          );
          if (!ok) throw new Error('postcard changed while the batch was being made');
        }
        const doc: BatchDoc = { id, createdAt: nowIso, clinic: clinicSnapshot(clinic), ids: s.ok.map((c) => c.id) };
        d.settings.setDoc(DOC_PREFIX + id, doc);
        return { id, problems: s.problems, count: s.ok.length };
      })();
      const problems = publicProblems(picked.problems);
      if (!picked.id) return { batch: null, problems, file: null };
      const r = await render(picked.id);
      const file = writeFile(picked.id, r.pdf);
      return { batch: r.summary, problems, file };
    },

    list(limit = 50): PostcardBatchSummary[] {
      return listStmt.all(PROVIDER_PREFIX, 'postcard;', Math.min(Math.max(1, limit), 500)).map((r) => summary({ id: r.provider_id.slice(PROVIDER_PREFIX.length), createdAt: r.created }, r.n));
    },

    /**
     * The batch's PDF. A batch never changes once printed (its messages are final), so the file on
     * disk is served as is; when it has gone missing it is rebuilt, identically, and written again.
     */
    async file(id: string): Promise<{ pdf: Buffer; summary: PostcardBatchSummary; path: string }> {
      if (!BATCH_ID.test(id)) throw new ApiError('validation', 'That is not a postcard batch name.', { id: 'Not a batch name' });
      const file = path.join(dir, `${id}.pdf`);
      if (existsSync(file)) {
        const b = load(id);
        return { pdf: readFileSync(file), summary: summary(b, b.cards.length), path: file };
      }
      const r = await render(id);
      writeFile(id, r.pdf);
      return { pdf: r.pdf, summary: r.summary, path: file };
    },
  };
}

export type PostcardBatches = ReturnType<typeof createPostcardBatches>;
