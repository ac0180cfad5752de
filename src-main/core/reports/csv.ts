import type { ComplianceRow, ReportResult } from '../../contract';

type Cell = string | number | null;

/**
 * RFC 4180 fields. A text cell that a spreadsheet would read as a formula (=, +, -, @, tab, CR)
 * gets a leading apostrophe: labels come from editable rules and must not run in Excel.
 */
export function csvField(v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = v;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const line = (cells: Cell[]) => cells.map(csvField).join(',');
const pct = (r: number | null) => (r === null ? null : Math.round(r * 1000) / 10);
const money = (v: number) => Math.round(v * 10000) / 10000;

/** One file, several sections separated by a blank line, each with its own header row. */
export function reportCsv(r: ReportResult): string {
  const q = r.query;
  const out: string[] = [];
  out.push(line(['Pawline report', 'from', q.from, 'to', q.to, 'channel', q.channel ?? 'all', 'kind', q.kind ?? 'all', 'time zone', r.timeZone]));
  out.push('');
  out.push(line(['Totals']));
  out.push(line(['metric', 'value']));
  const t = r.totals;
  const totals: [string, Cell][] = [
    ['sent', t.sent],
    ['delivered', t.delivered],
    ['awaiting_report', t.awaiting],
    ['undelivered', t.undelivered],
    ['failed', t.failed],
    ['delivery_rate_pct', pct(t.deliveryRate)],
    ['replies', t.replies],
    ['opt_outs', t.optOuts],
    ['sms_segments', t.segments],
    ['est_cost_usd', money(t.estCost)],
    ['reminder_messages', r.compliance.messages],
    ['reminder_messages_followed_by_visit', r.compliance.messagesFollowed],
    ['reminded_services', r.compliance.services],
    ['services_came_in', r.compliance.cameIn],
    ['services_booked', r.compliance.booked],
    ['compliance_pct', pct(r.compliance.rate)],
  ];
  for (const [k, v] of totals) out.push(line([k, v]));
  out.push('');
  out.push(line(['By day']));
  out.push(line(['day', 'sent', 'delivered', 'awaiting_report', 'undelivered', 'failed', 'replies', 'opt_outs', 'sms_segments', 'est_cost_usd']));
  for (const d of r.days) out.push(line([d.day, d.sent, d.delivered, d.awaiting, d.undelivered, d.failed, d.replies, d.optOuts, d.segments, money(d.estCost)]));
  out.push('');
  out.push(line(['By channel']));
  out.push(line(['channel', 'sent', 'delivered', 'awaiting_report', 'undelivered', 'failed', 'sms_segments', 'est_cost_usd']));
  for (const c of r.byChannel) out.push(line([c.channel, c.sent, c.delivered, c.awaiting, c.undelivered, c.failed, c.segments, money(c.estCost)]));
  out.push('');
  out.push(line(['Opt-outs by source']));
  out.push(line(['source', 'opt_outs']));
  for (const s of r.optOutsBySource) out.push(line([s.source, s.count]));
  const compliance = (title: string, rows: ComplianceRow[], keyName: string) => {
    out.push('');
    out.push(line([title]));
    out.push(line([keyName, 'label', 'reminded', 'came_in', 'booked', 'compliance_pct']));
    for (const c of rows) out.push(line([c.key, c.label, c.reminded, c.cameIn, c.booked, pct(c.rate)]));
  };
  compliance('Reminder compliance by service category', r.compliance.byCategory, 'category');
  compliance('Reminder compliance by step', r.compliance.byStep, 'step');
  return out.join('\r\n') + '\r\n';
}
