import type { AudienceCount, AudienceFilter, CampaignChannel, CampaignDelivery, CampaignKind, CampaignLang, SuppressionReason } from '../../contract';
import type { ConsentLedger } from '../consent/ledger';
import { loadContactPoints, reachContext, reachOf, type Reach } from '../consent/reachability';
import type { Db } from '../db/open';
import { toLang } from '../templates/locale';
import { candidateQuery, loadAppointments, petLoader, type AppointmentRow } from './audience-query';
import { marketingContacts } from './caps';

export interface Recipient {
  clientId: number;
  firstName: string | null;
  lastName: string | null;
  lang: CampaignLang;
  /** The address each channel goes to, or null when this recipient gets nothing on it. */
  sms: string | null;
  email: string | null;
  /** Living pets' names, in the PIMS's order. */
  pets: string[];
  appointment: AppointmentRow | null;
}

/** A matched client who gets nothing, and why (for the preview's "why not" line). */
export interface Suppressed {
  clientId: number;
  reason: SuppressionReason;
}

export interface ResolvedAudience {
  recipients: Recipient[];
  count: AudienceCount;
  /** Per matched client, why a channel is closed (preview). */
  blocked: Map<number, { sms: string | null; email: string | null; reason: SuppressionReason | null }>;
}

export interface ResolveOptions {
  kind: CampaignKind;
  delivery: CampaignDelivery;
  now: Date;
  /** The campaign being resolved: its own messages do not count toward its cap. */
  campaignId?: number | null;
  marketingCap: number;
  /** Compute `blocked` (the preview needs it; the enqueue does not). */
  explain?: boolean;
  /** Clients in the first page; the event loop is free between pages. */
  pageSize?: number;
  /**
   * Time one page may hold the event loop (queries, processing and onPage's synchronous part
   * together). Page sizes adapt toward it, so a fast PC writes big chunks and a busy one small
   * ones; 0 = fixed pages.
   */
  pageBudgetMs?: number;
  /** The smallest page the budget may shrink pages to (default 200 clients). */
  minPageSize?: number;
  /**
   * Receives each page's recipients (the enqueue writes them); with it, `recipients` stays empty
   * unless `collect`. A promise it returns is awaited before the next page: work after its first
   * await runs in a turn of its own and does not count toward the page's budget.
   */
  onPage?: (recipients: Recipient[]) => void | Promise<void>;
  collect?: boolean;
  /** Checked before each page: true ends the resolve there (a cancelled campaign's enqueue). */
  stop?: () => boolean;
}

/** A channel's address for this campaign, or why it has none. */
type Channel = { to: string | null; why: string | null };
const NO_CHANNEL: Channel = { to: null, why: null };

const REASONS: SuppressionReason[] = ['inactive', 'deceased-only', 'opted-out', 'no-channel', 'no-marketing-consent', 'marketing-cap', 'shared-address'];
const LANGS: CampaignLang[] = ['en', 'fr', 'es'];

export function emptyCount(): AudienceCount {
  return {
    matched: 0,
    recipients: 0,
    byChannel: { sms: 0, email: 0 },
    byLanguage: { en: 0, fr: 0, es: 0 },
    suppressed: { total: 0, byReason: Object.fromEntries(REASONS.map((r) => [r, 0])) as Record<SuppressionReason, number> },
    channelGaps: { sms: {}, email: {} },
  };
}

/** Small first page: code and statements are still cold; the size then adapts (at most 2x per page). */
const DEFAULT_PAGE = 100;
const DEFAULT_BUDGET_MS = 25;
/*
 * A page has costs that do not shrink with it (its queries; for the enqueue a transaction, its
 * commit and a checkpoint): pages never shrink below this, so a busy PC gets somewhat longer
 * pauses rather than thousands of tiny chunks.
 */
const MIN_PAGE = 200;
const MAX_PAGE = 4000;
/** A turn of the event loop for the desk's other calls. */
export const breathe = () => new Promise<void>((r) => setImmediate(r));

/**
 * Turns filters into recipients: who gets what on which channel, and for everyone else the reason
 * (one per household, the first that applies: inactive, deceased-only, opted out / no marketing
 * consent / shared address / no channel, marketing cap). Opt-outs are always honoured, whatever the
 * kind; marketing additionally needs a standing marketing opt-in on the channel. Two households
 * sharing a number or mailbox get one message per campaign on it (the lower client id).
 *
 * Works a page of clients at a time and yields to the event loop between pages, so counting or
 * sending to a whole clinic never keeps the desk's other calls waiting for more than a page.
 */
export async function resolveAudience(db: Db, ledger: ConsentLedger, filter: AudienceFilter, o: ResolveOptions): Promise<ResolvedAudience> {
  const page = candidateQuery(db, filter);
  const petsOf = petLoader(db);
  let pageSize = o.pageSize ?? DEFAULT_PAGE;
  const budget = o.pageBudgetMs ?? DEFAULT_BUDGET_MS;
  const minPage = o.minPageSize ?? MIN_PAGE;
  const appts = filter.appointment ? loadAppointments(db, filter.appointment) : new Map<number, AppointmentRow>();
  const marketing = o.kind === 'marketing';
  const { byClient: capCounts, byAddress: capByAddress } = marketing
    ? marketingContacts(db, o.now, o.campaignId ?? null)
    : { byClient: new Map<number, number>(), byAddress: new Map<string, number>() };
  const smsMarketing = marketing ? ledger.marketingOptIns('sms') : null;
  const emailMarketing = marketing ? ledger.marketingOptIns('email') : null;
  const langs = filter.languages?.length ? new Set(filter.languages) : null;
  const collect = o.collect ?? !o.onPage;
  // Opt-outs and address flags are read once per resolve, not per page (a page later, an opt-out
  // that arrived meanwhile is caught by the dispatcher).
  const reachX = reachContext(db, ledger);

  const count = emptyCount();
  const recipients: Recipient[] = [];
  const blocked: ResolvedAudience['blocked'] = new Map();
  const usedSms = new Set<string>();
  const usedEmail = new Set<string>();
  const gap = (ch: CampaignChannel, why: string) => {
    const g = count.channelGaps[ch];
    g[why] = (g[why] ?? 0) + 1;
  };
  const suppress = (clientId: number, reason: SuppressionReason, sms: string | null = null, email: string | null = null) => {
    count.suppressed.total++;
    count.suppressed.byReason[reason]++;
    if (o.explain) blocked.set(clientId, { sms, email, reason });
  };
  // Each channel: an address, or why not.
  const open = (ch: CampaignChannel, r: Reach): Channel => {
    const to = ch === 'sms' ? r.sms : r.email;
    if (!to) return { to: null, why: (ch === 'sms' ? r.smsBlocked : r.emailBlocked) ?? (ch === 'sms' ? 'no-sms-number' : 'no-email') };
    if (marketing && !(ch === 'sms' ? smsMarketing! : emailMarketing!).has(to)) return { to: null, why: 'no-marketing-consent' };
    if (marketing && (capByAddress.get(to) ?? 0) >= o.marketingCap) return { to: null, why: 'marketing-cap' };
    if ((ch === 'sms' ? usedSms : usedEmail).has(to)) return { to: null, why: 'shared-address' };
    return { to, why: null };
  };
  const smsFirst = o.delivery === 'both' || o.delivery === 'sms' || o.delivery === 'sms-else-email';

  // The setup above read every opt-out and address flag: the first page gets a turn of its own.
  if (o.onPage) await breathe();
  let after = 0;
  for (;;) {
    if (o.stop?.()) break;
    const started = performance.now();
    const size = pageSize;
    const candidates = page(after, size);
    if (!candidates.length) break;
    after = candidates[candidates.length - 1]![0];
    const ids = candidates.map((c) => c[0]);
    const reach = new Map<number, Reach>();
    for (const [id, points] of loadContactPoints(db, ids)) reach.set(id, reachOf(points, reachX));
    const pets = new Map<number, { living: string[]; total: number }>();
    for (const [clientId, name, deceased] of petsOf(ids)) {
      let e = pets.get(clientId);
      if (!e) pets.set(clientId, (e = { living: [], total: 0 }));
      e.total++;
      if (!deceased) e.living.push(name ?? '');
    }
    const out: Recipient[] = [];
    for (const [id, firstName, lastName, language, active] of candidates) {
      const lang = toLang(language);
      if (langs && !langs.has(lang)) continue;
      const r = reach.get(id) ?? { sms: null, email: null, smsBlocked: 'no-sms-number', emailBlocked: 'no-email' };
      if (filter.hasSms === true && !r.sms) continue;
      if (filter.hasSms === false && r.sms) continue;
      if (filter.hasEmail === true && !r.email) continue;
      if (filter.hasEmail === false && r.email) continue;
      count.matched++;

      if (!active) {
        suppress(id, 'inactive');
        continue;
      }
      const household = pets.get(id);
      if (household && household.total > 0 && household.living.length === 0) {
        suppress(id, 'deceased-only');
        continue;
      }

      const sms: Channel = smsFirst ? open('sms', r) : NO_CHANNEL;
      const email: Channel =
        o.delivery === 'both' || o.delivery === 'email' || (o.delivery === 'sms-else-email' && !sms.to) ? open('email', r) : NO_CHANNEL;

      if (!sms.to && !email.to) {
        const whys = [sms.why, email.why].filter((w): w is string => !!w);
        const reason: SuppressionReason = whys.some((w) => w.endsWith('opted-out'))
          ? 'opted-out'
          : whys.includes('no-marketing-consent')
            ? 'no-marketing-consent'
            : whys.includes('marketing-cap')
              ? 'marketing-cap'
              : whys.includes('shared-address')
                ? 'shared-address'
                : 'no-channel';
        suppress(id, reason, sms.why, email.why);
        continue;
      }
      if (marketing && (capCounts.get(id) ?? 0) >= o.marketingCap) {
        suppress(id, 'marketing-cap', 'marketing-cap', 'marketing-cap');
        continue;
      }

      if (sms.to) usedSms.add(sms.to);
      else if (sms.why) gap('sms', sms.why);
      if (email.to) usedEmail.add(email.to);
      else if (email.why) gap('email', email.why);
      count.recipients++;
      count.byLanguage[lang]++;
      if (sms.to) count.byChannel.sms++;
      if (email.to) count.byChannel.email++;
      if (o.explain) blocked.set(id, { sms: sms.why, email: email.why, reason: null });
      out.push({
        clientId: id,
        firstName,
        lastName,
        lang,
        sms: sms.to,
        email: email.to,
        pets: household?.living.filter(Boolean) ?? [],
        appointment: appts.get(id) ?? null,
      });
    }
    if (collect) recipients.push(...out);
    const tail = o.onPage && out.length ? o.onPage(out) : undefined;
    const took = Math.max(0.5, performance.now() - started);
    await tail;
    if (candidates.length < size) break;
    if (budget > 0) {
      // Aim the next page at the budget; move at most 2x per page so one slow page does not swing it.
      const want = (size * budget) / took;
      pageSize = Math.round(Math.min(MAX_PAGE, Math.max(minPage, Math.min(size * 2, Math.max(size / 2, want)))));
    }
    await breathe();
  }
  for (const l of LANGS) count.byLanguage[l] ??= 0;
  return { recipients, count, blocked };
}
