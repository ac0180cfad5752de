import { SimHttpError } from './twilio-errors';
import type { SimMessage } from './types';

const FILTER_KEYS = ['To', 'From', 'DateSent', 'DateSent<', 'DateSent>'] as const;
const DAY = 86_400_000;

/** A date filter value covers a GMT day ("2024-05-01") or one whole second (an ISO date-time). */
function span(value: string, key: string): { start: number; end: number } {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const start = Date.parse(value + 'T00:00:00Z');
    if (!Number.isNaN(start)) return { start, end: start + DAY };
  } else {
    const t = Date.parse(value);
    if (!Number.isNaN(t)) {
      const start = Math.floor(t / 1000) * 1000;
      return { start, end: start + 1000 };
    }
  }
  throw new SimHttpError(400, 20001, `Invalid value for ${key}: ${value}`);
}

export interface Listing<T> {
  items: T[];
  body: Record<string, unknown>;
}

/** Messages.json filters as Twilio documents them. A message with no date_sent yet matches no DateSent filter. */
function matches(params: URLSearchParams): (m: SimMessage) => boolean {
  const to = params.get('To');
  const from = params.get('From');
  const on = params.has('DateSent') ? span(params.get('DateSent')!, 'DateSent') : null;
  const before = params.has('DateSent<') ? span(params.get('DateSent<')!, 'DateSent<') : null;
  const after = params.has('DateSent>') ? span(params.get('DateSent>')!, 'DateSent>') : null;
  return (m) => {
    if (to !== null && m.to !== to) return false;
    if (from !== null && m.from !== from) return false;
    if (on || before || after) {
      if (m.sentAt === null) return false;
      const s = Math.floor(m.sentAt / 1000) * 1000;
      if (on && (s < on.start || s >= on.end)) return false;
      if (before && s >= before.end) return false;
      if (after && s < after.start) return false;
    }
    return true;
  };
}

function pageUri(path: string, params: URLSearchParams, extra: Record<string, string | number>): string {
  const parts: string[] = [];
  for (const k of FILTER_KEYS) {
    const v = params.get(k);
    if (v !== null) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  }
  for (const [k, v] of Object.entries(extra)) parts.push(`${k}=${encodeURIComponent(String(v))}`);
  return `${path}?${parts.join('&')}`;
}

/**
 * Newest first, cursor paging: PageToken "PA<sid>" continues after that message and "PB<sid>" ends before it,
 * so messages arriving while a client pages through do not shift what it sees.
 */
export function listMessages(all: SimMessage[], path: string, params: URLSearchParams, key: string): Listing<SimMessage> {
  const pageSize = Math.min(1000, Math.max(1, Number(params.get('PageSize') ?? 50) || 50));
  const page = Math.max(0, Number(params.get('Page') ?? 0) || 0);
  const token = params.get('PageToken');
  const sorted = all.filter(matches(params)).sort((a, b) => b.createdAt - a.createdAt || b.seq - a.seq);

  let start = page * pageSize;
  if (token && token.length > 2) {
    const idx = sorted.findIndex((m) => m.sid === token.slice(2));
    if (idx >= 0) start = token.startsWith('PB') ? Math.max(0, idx - pageSize) : idx + 1;
  }
  const items = sorted.slice(start, start + pageSize);
  const last = items[items.length - 1];
  const first = items[0];
  const hasNext = start + items.length < sorted.length && last !== undefined;
  const hasPrev = start > 0 && first !== undefined;

  const body: Record<string, unknown> = {
    [key]: items,
    end: items.length ? page * pageSize + items.length - 1 : page * pageSize,
    first_page_uri: pageUri(path, params, { PageSize: pageSize, Page: 0 }),
    next_page_uri: hasNext ? pageUri(path, params, { PageSize: pageSize, Page: page + 1, PageToken: `PA${last!.sid}` }) : null,
    page,
    page_size: pageSize,
    previous_page_uri: hasPrev
      ? pageUri(path, params, { PageSize: pageSize, Page: Math.max(0, page - 1), PageToken: `PB${first!.sid}` })
      : null,
    start: page * pageSize,
    uri: pageUri(path, params, token ? { PageSize: pageSize, Page: page, PageToken: token } : { PageSize: pageSize, Page: page }),
  };
  return { items, body };
}
