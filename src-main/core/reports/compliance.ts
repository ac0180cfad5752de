import type { ComplianceFigures, ComplianceRow, ReminderStep } from '../../contract';
import type { Db } from '../db/open';
import { appointmentCategory, appointmentCovers, appointmentState, serviceCategory, SERVICE_CATEGORIES, type ServiceCategory } from '../reminders/categories';
import { DEFAULT_STEPS } from '../reminders/rules';
import type { DayGrid } from './days';
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
  sent_at: string;
  dedupe_key: string;
  meta: string | null;
  patient_id: number | null;
  code: string | null;
  due_date: string | null;
  step: string | null;
  category: string | null;
  description: string | null;
}

/**
 * Health reminders that went out in the range (sent or delivered: failed ones reached nobody) with
 * the services each covers. The planner records them in reminder_items (one row per pet and
 * service of a household message); a reminder message without items is read from its dedupe key
 * (reminder:<patient>:<code>:<due>:<step>:<channel>[:rN]).
 */
const PICKED = `
  WITH picked AS (
    SELECT id FROM messages WHERE status = 'sent' AND sent_at >= @from AND sent_at < @to AND kind = 'reminder'
      AND (@channel IS NULL OR channel = @channel)
    UNION ALL
    SELECT id FROM messages WHERE final_at >= @floor AND status = 'delivered' AND sent_at >= @from AND sent_at < @to AND kind = 'reminder'
      AND (@channel IS NULL OR channel = @channel)
  )
  SELECT m.id, m.sent_at, m.dedupe_key, m.meta, ri.patient_id, ri.code, ri.due_date, ri.step,
         COALESCE(r.category, rc.category) AS category, r.description
    FROM picked JOIN messages m ON m.id = picked.id
    LEFT JOIN reminder_items ri ON ri.message_id = m.id
    LEFT JOIN reminders r ON r.id = ri.reminder_id
    LEFT JOIN reminder_codes rc ON rc.source = r.source AND rc.code = r.code
   ORDER BY m.sent_at, m.id`;

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
  const picked = db.prepare<Record<string, unknown>, Row>(PICKED);
  // Both lookups ride the PIMS indexes: history(patient_id, code, service_date), appointments(patient_id).
  const visit = db.prepare<[number, string, string], { one: number }>(
    'SELECT 1 AS one FROM history WHERE patient_id = ? AND code = ? AND service_date >= ? LIMIT 1',
  );
  const appts = db.prepare<[number, string], { category: string | null; reason: string | null; status: string }>(
    'SELECT category, reason, status FROM appointments WHERE patient_id = ? AND start_local >= ? AND gone = 0',
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
    const items: Item[] = [];
    const messages = new Set<number>();
    for (const r of picked.iterate({ from: grid.from, to: grid.to, floor, channel: f.channel })) {
      const i = grid.indexOf(r.sent_at);
      if (i < 0) continue;
      messages.add(r.id);
      const day = grid.days[i];
      if (r.patient_id !== null && r.code !== null) {
        items.push({
          messageId: r.id,
          day,
          patientId: r.patient_id,
          code: r.code,
          due: r.due_date ?? '',
          step: r.step ?? 'unknown',
          category: serviceCategory(r.code, r.category, r.description),
        });
        continue;
      }
      const k = parseReminderKey(r.dedupe_key);
      if (k) items.push({ messageId: r.id, day, ...k, category: serviceCategory(k.code) });
    }

    // The same pet, service and day asked twice (two channels of one step) is looked up once.
    const cache = new Map<string, Outcome>();
    const outcome = (it: Item): Outcome => {
      const key = `${it.patientId}|${it.code}|${it.day}`;
      let o = cache.get(key);
      if (o) return o;
      o = 'none';
      if (visit.get(it.patientId, it.code, it.day)) o = 'came-in';
      else {
        for (const a of appts.all(it.patientId, it.day)) {
          const state = appointmentState(a.status);
          if (state !== 'upcoming' && state !== 'done') continue;
          if (appointmentCovers(appointmentCategory(a.category, a.reason), it.category)) {
            o = 'booked';
            break;
          }
        }
      }
      cache.set(key, o);
      return o;
    };

    const labels = stepLabels();
    const byStep = new Map<string, ComplianceRow>();
    const byCategory = new Map<ServiceCategory, ComplianceRow>();
    const followed = new Set<number>();
    // A service reminded several times in the range counts once, from its first reminder.
    const first = new Map<string, Item>();
    for (const it of items) {
      const o = outcome(it);
      if (o !== 'none') followed.add(it.messageId);
      const s = byStep.get(it.step) ?? row(it.step, labels.get(it.step)?.label ?? it.step);
      byStep.set(it.step, count(s, o));
      const sk = `${it.patientId}|${it.code}|${it.due}`;
      if (!first.has(sk)) first.set(sk, it);
    }
    let cameIn = 0;
    let booked = 0;
    for (const it of first.values()) {
      const o = outcome(it);
      if (o === 'came-in') cameIn++;
      if (o === 'booked') booked++;
      const c = byCategory.get(it.category) ?? row(it.category, categoryLabel(it.category));
      byCategory.set(it.category, count(c, o));
    }
    const stepOrder = (k: string) => labels.get(k)?.offset ?? Number.MAX_SAFE_INTEGER;
    return {
      messages: messages.size,
      messagesFollowed: followed.size,
      services: first.size,
      cameIn,
      booked,
      rate: first.size ? (cameIn + booked) / first.size : null,
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
