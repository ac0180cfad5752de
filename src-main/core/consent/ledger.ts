import type { Db } from '../db/open';
import type { Clock } from '../shared/clock';

export type ConsentChannel = 'sms' | 'email';
export type ConsentPurpose = 'all' | 'marketing';
export type ConsentStatus = 'opt-in' | 'opt-out';

export interface ConsentEvent {
  address: string;
  channel: ConsentChannel;
  purpose?: ConsentPurpose;
  status: ConsentStatus;
  /** 'keyword', 'carrier-21610', 'staff', 'unsubscribe-link', 'pims', 'import', 'campaign-signup'... */
  source: string;
  detail?: string;
}

/**
 * Append-only consent ledger per address. The latest event for (address, channel, purpose)
 * wins; an 'all' opt-out also stops marketing. Marketing needs an explicit marketing opt-in.
 */
export interface ConsentLedger {
  record(e: ConsentEvent): void;
  latest(address: string, channel: ConsentChannel, purpose?: ConsentPurpose): { status: ConsentStatus; source: string; at: string } | null;
  isOptedOut(address: string, channel: ConsentChannel): boolean;
  allowsMarketing(address: string, channel: ConsentChannel): boolean;
  /** Every address currently opted out of a channel (for bulk planning). */
  optedOut(channel: ConsentChannel): Set<string>;
  /** Every address with a standing marketing opt-in. */
  marketingOptIns(channel: ConsentChannel): Set<string>;
  history(address: string): (ConsentEvent & { at: string })[];
}

export function createConsentLedger(db: Db, clock: Clock): ConsentLedger {
  const ins = db.prepare('INSERT INTO consent_events (address, channel, purpose, status, source, detail, at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const last = db.prepare<[string, string, string], { status: ConsentStatus; source: string; at: string }>(
    'SELECT status, source, at FROM consent_events WHERE address = ? AND channel = ? AND purpose = ? ORDER BY id DESC LIMIT 1',
  );
  const latestPerAddress = db.prepare<[string, string], { address: string; status: ConsentStatus }>(`
    SELECT address, status FROM consent_events e
    WHERE channel = ? AND purpose = ? AND id = (SELECT MAX(id) FROM consent_events x WHERE x.address = e.address AND x.channel = e.channel AND x.purpose = e.purpose)`);
  const hist = db.prepare<[string], ConsentEvent & { at: string }>('SELECT address, channel, purpose, status, source, detail, at FROM consent_events WHERE address = ? ORDER BY id');

  const latest: ConsentLedger['latest'] = (address, channel, purpose = 'all') => last.get(address, channel, purpose) ?? null;
  const isOptedOut = (address: string, channel: ConsentChannel) => latest(address, channel, 'all')?.status === 'opt-out';
  return {
    record: (e) => ins.run(e.address, e.channel, e.purpose ?? 'all', e.status, e.source, e.detail ?? null, clock.now().toISOString()),
    latest,
    isOptedOut,
    allowsMarketing: (address, channel) => !isOptedOut(address, channel) && latest(address, channel, 'marketing')?.status === 'opt-in',
    optedOut: (channel) => new Set(latestPerAddress.all(channel, 'all').filter((r) => r.status === 'opt-out').map((r) => r.address)),
    marketingOptIns: (channel) => new Set(latestPerAddress.all(channel, 'marketing').filter((r) => r.status === 'opt-in').map((r) => r.address)),
    history: (address) => hist.all(address),
  };
}
