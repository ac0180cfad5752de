import type { ComplianceFigures, ComplianceRow, ReminderStep } from '../../contract';
import type { Db } from '../db/open';
import { appointmentCategory, appointmentCovers, appointmentState, serviceCategory, SERVICE_CATEGORIES, type ServiceCategory } from '../reminders/categories';
import { DEFAULT_STEPS } from '../reminders/rules';
import { localDayParams, localDaySql, type DayGrid } from './days';
import type { Filter } from './delivery';

// Keyed loosely: the planner owns the category list, and a new category shows by its id until named here.
const CATEGORY_LABELS: Partial<Record<string, string>> = {
  vaccines: 'Vaccines',
  exam: 'Wellness exam',
  heartworm: 'Heartworm test',
  dental: 'Dental',
  lab: 'Lab work',
  parasite: 'Parasite control',
  other: 'Other services',
};
const categoryLabel = (c: string) => CATEGORY_LABELS[c] ?? c.charAt(0).toUpperCase() + c.slice(1);

/** One reminded service in one message. */
interface Item {
  messageId: number;
  day: string;
  patientId: number;
  code: string;
  due: string;
  step: string;
  category: ServiceCategory;
}

type Outcome = 'came-in' | 'booked' | 'none';

interface Row {
  id: number;
  day: string;
  dedupe_key: string;
  patient_id: number | null;
  code: string | null;
  due_date: string | null;
  step: string | null;
  category: string | null;
  description: string | null;
  /** 1 when the history has the service on/after the send day. */
  visit: number | null;
}

interface Visit {
  startLocal: string;
  category: ReturnType<typeof appointmentCategory>;
}

/**
 * Health reminders that went out in the range (sent or delivered: failed ones reached nobody) with
 * the services each covers. The planner records them in reminder_items (one row per pet and
 * service of a household message); a reminder message without items is read from its dedupe key
 * (reminder:<patient>:<code>:<due>:<step>:<channel>[:rN]).
 */
export const pickedSql = (stretches: number) => {
  const day = localDaySql('p.sent_at', stretches);
  return `
  WITH picked AS (
    SELECT id, sent_at, dedupe_key FROM messages WHERE status = 'sent' AND sent_at >= @from AND sent_at < @to AND kind = 'reminder'
      AND (@channel IS NULL OR channel = @channel)
    UNION ALL
    SELECT id, sent_at, dedupe_key FROM messages WHERE final_at >= @floor AND status = 'delivered' AND sent_at >= @from AND sent_at < @to AND kind = 'reminder'
      AND (@channel IS NULL OR channel = @channel)
  )
  SELECT p.id, p.dedupe_key, ${day} AS day, ri.patient_id, ri.code, ri.due_date, ri.step,
         COALESCE(r.category, (SELECT rc.category FROM reminder_codes rc WHERE rc.source = r.source AND rc.code = r.code)) AS category, r.description,
         -- history(patient_id, code, service_date) answers this from the index alone.
         (SELECT 1 FROM history h WHERE h.patient_id = ri.patient_id AND h.code = ri.code AND h.service_date >= ${day} LIMIT 1) AS visit
    FROM picked p
    LEFT JOIN reminder_items ri ON ri.message_id = p.id
    LEFT JOIN reminders r ON r.id = ri.reminder_id`;
};

export function parseReminderKey(key: string): { patientId: number; code: string; due: string; step: string } | null {
  const parts = key.split(':');
  if (parts[0] !== 'reminder') return null;
  if (/^r\d+$/.test(parts[parts.length - 1])) parts.pop();
  // reminder, patient, code (may itself hold ':'), due, step, channel
  if (parts.length < 6) return null;
  const patientId = Number(parts[1]);
  const due = parts[parts.length - 3];
  if (!Number.isInteger(patientId) || !/^\d{4}-\d{2}-\d{2}$/.test(due)) return null;
  return { patientId, code: parts.slice(2, parts.length - 3).join(':'), due, step: parts[parts.length - 2] };
}

export function createComplianceQuery(db: Db) {
  // One statement per number of DST stretches in the range (1 to 4 for up to 400 days).
  const pickedStmts = new Map<number, ReturnType<typeof db.prepare<Record<string, unknown>, Row>>>();
  const picked = (n: number) => {
    let st = pickedStmts.get(n);
    if (!st) pickedStmts.set(n, (st = db.prepare<Record<string, unknown>, Row>(pickedSql(n))));
    return st;
  };
  // For reminders read from a dedupe key (no planner items) the history is asked one by one.
  const visit = db.prepare<[number, string, string], { one: number }>(
    'SELECT 1 AS one FROM history WHERE patient_id = ? AND code = ? AND service_date >= ? LIMIT 1',
  );
  // The schedule from the range's first day on is small (days to months of visits): read it once.
  const upcoming = db.prepare<[string], { patient_id: number; start_local: string; category: string | null; reason: string | null; status: string }>(
    'SELECT patient_id, start_local, category, reason, status FROM appointments WHERE start_utc >= ? AND gone = 0 AND patient_id IS NOT NULL',
  );
  const rules = db.prepare<[], { definition: string }>('SELECT definition FROM reminder_rules ORDER BY id');

  const stepLabels = (): Map<string, { label: string; offset: number }> => {
    const out = new Map<string, { label: string; offset: number }>();
    const addSteps = (steps: ReminderStep[] | undefined) => {
      for (const s of steps ?? []) if (s && typeof s.id === 'string' && !out.has(s.id)) out.set(s.id, { label: s.label, offset: s.offsetDays });
    };
    for (const r of rules.all()) {
      try {
        addSteps((JSON.parse(r.definition) as { steps?: ReminderStep[] }).steps);
      } catch {
        // A rule the planner cannot read either; its steps show by id.
      }
    }
    addSteps(DEFAULT_STEPS);
    return out;
  };

  return (grid: DayGrid, f: Filter): ComplianceFigures => {
    const empty: ComplianceFigures = { messages: 0, messagesFollowed: 0, services: 0, cameIn: 0, booked: 0, rate: null, byCategory: [], byStep: [] };
    if (f.kind && f.kind !== 'reminder') return empty;
    const floor = new Date(Date.parse(grid.from) - 86_400_000).toISOString();
    const visits = new Map<number, Visit[]>();
    for (const a of upcoming.all(grid.from)) {
      const state = appointmentState(a.status);
      if (state !== 'upcoming' && state !== 'done') continue;
      const list = visits.get(a.patient_id) ?? [];
      list.push({ startLocal: a.start_local, category: appointmentCategory(a.category, a.reason) });
      visits.set(a.patient_id, list);
    }
    const booked = (it: Item) => (visits.get(it.patientId) ?? []).some((v) => v.startLocal >= it.day && appointmentCovers(v.category, it.category));

    const labels = stepLabels();
    const byStep = new Map<string, ComplianceRow>();
    const messages = new Set<number>();
    const followed = new Set<number>();
    // A service reminded several times in the range counts once, from its first reminder.
    const first = new Map<string, Item & { outcome: Outcome }>();
    const rows = picked(grid.offsets.length).all({ from: grid.from, to: grid.to, floor, channel: f.channel, ...localDayParams(grid) });
    for (const r of rows) {
      messages.add(r.id);
      let it: Item;
      let cameIn: boolean;
      if (r.patient_id !== null && r.code !== null) {
        it = {
          messageId: r.id,
          day: r.day,
          patientId: r.patient_id,
          code: r.code,
          due: r.due_date ?? '',
          step: r.step ?? 'unknown',
          category: serviceCategory(r.code, r.category, r.description),
        };
        cameIn = !!r.visit;
      } else {
        const k = parseReminderKey(r.dedupe_key);
        if (!k) continue;
        it = { messageId: r.id, day: r.day, ...k, category: serviceCategory(k.code) };
        cameIn = !!visit.get(it.patientId, it.code, it.day);
      }
      const o: Outcome = cameIn ? 'came-in' : booked(it) ? 'booked' : 'none';
      if (o !== 'none') followed.add(it.messageId);
      const s = byStep.get(it.step) ?? row(it.step, labels.get(it.step)?.label ?? it.step);
      byStep.set(it.step, count(s, o));
      const sk = `${it.patientId}|${it.code}|${it.due}`;
      const prev = first.get(sk);
      if (!prev || it.day < prev.day || (it.day === prev.day && it.messageId < prev.messageId)) first.set(sk, { ...it, outcome: o });
    }
    let cameIn = 0;
    let bookedCount = 0;
    const byCategory = new Map<ServiceCategory, ComplianceRow>();
    for (const it of first.values()) {
      if (it.outcome === 'came-in') cameIn++;
      if (it.outcome === 'booked') bookedCount++;
      const c = byCategory.get(it.category) ?? row(it.category, categoryLabel(it.category));
      byCategory.set(it.category, count(c, it.outcome));
    }
    const stepOrder = (k: string) => labels.get(k)?.offset ?? Number.MAX_SAFE_INTEGER;
    return {
      messages: messages.size,
      messagesFollowed: followed.size,
      services: first.size,
      cameIn,
      booked: bookedCount,
      rate: first.size ? (cameIn + bookedCount) / first.size : null,
      byCategory: [...byCategory.keys()]
        .sort((a, b) => rank(a) - rank(b))
        .map((c) => withRate(byCategory.get(c)!)),
      byStep: [...byStep.values()].sort((a, b) => stepOrder(a.key) - stepOrder(b.key) || a.key.localeCompare(b.key)).map(withRate),
    };
  };
}

const rank = (c: ServiceCategory) => {
  const i = SERVICE_CATEGORIES.indexOf(c);
  return i < 0 ? SERVICE_CATEGORIES.length : i;
};

function row(key: string, label: string): ComplianceRow {
  return { key, label, reminded: 0, cameIn: 0, booked: 0, rate: null };
}

function count(r: ComplianceRow, o: Outcome): ComplianceRow {
  r.reminded++;
  if (o === 'came-in') r.cameIn++;
  if (o === 'booked') r.booked++;
  return r;
}

function withRate(r: ComplianceRow): ComplianceRow {
  return { ...r, rate: r.reminded ? (r.cameIn + r.booked) / r.reminded : null };
}
