import { randomBytes } from 'node:crypto';
import { createApiHandler, type ApiContext, type ForcedFailure } from './api';
import type { CreateRules } from './create-message';
import { newSid } from './ids';
import { Listener } from './listener';
import { createMediaContentHandler } from './media-content';
import { createSendLimiter, type SendLimiter } from './rate-limit';
import { countSegments } from './segments';
import { MessageStore } from './store';
import type {
  DeliveryFailure,
  DeliveryFailureStatus,
  InboundInput,
  OfflineMode,
  RateLimit,
  SimAccount,
  SimMedia,
  SimMessage,
  SimStats,
  TwilioSimOptions,
} from './types';

export const DEFAULT_ACCOUNT: SimAccount = {
  sid: `AC${'0'.repeat(28)}beef`,
  authToken: 'sim-auth-token',
  friendlyName: 'Pawline simulator',
  apiKeys: [{ sid: `SK${'0'.repeat(28)}beef`, secret: 'sim-api-secret' }],
};

// Twilio's default Advanced Opt-Out keywords.
const STOP_WORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE']);
const START_WORDS = new Set(['START', 'YES', 'UNSTOP']);

function emptyStats(): SimStats {
  return { requests: 0, created: 0, rateLimited: 0, serverErrors: 0, byCode: {} };
}

/** A local stand-in for Twilio's 2010-04-01 Messages API. Start it with startTwilioSim(). */
export class TwilioSim {
  readonly accounts: SimAccount[];
  stats: SimStats = emptyStats();
  private readonly now: () => number;
  private readonly store: MessageStore;
  private readonly optedOutSet: Set<string>;
  private readonly landlineSet: Set<string>;
  private readonly failures = new Map<string, DeliveryFailure>();
  private limiter: SendLimiter;
  private forced: (ForcedFailure & { left: number })[] = [];
  private drops = 0;
  private latencyMs = 0;
  private readonly mediaTokens = new Map<string, SimMedia>();
  private readonly api: Listener;
  private readonly cdn: Listener;
  private readonly autoOptOut: boolean;
  private host = '127.0.0.1';

  constructor(opts: TwilioSimOptions = {}) {
    this.accounts = opts.accounts?.length ? opts.accounts.map((a) => ({ ...a })) : [{ ...DEFAULT_ACCOUNT }];
    this.now = opts.now ?? Date.now;
    this.store = new MessageStore(
      this.now,
      { sentMs: opts.delays?.sentMs ?? 50, deliveredMs: opts.delays?.deliveredMs ?? 100 },
      opts.pricePerSegment ?? 0.0079,
      opts.priceUnit ?? 'USD',
    );
    this.optedOutSet = new Set(opts.optedOut ?? []);
    this.landlineSet = new Set(opts.landlines ?? []);
    for (const [n, f] of Object.entries(opts.deliveryFailures ?? {})) this.failures.set(n, typeof f === 'number' ? { code: f } : f);
    this.limiter = createSendLimiter(opts.rateLimit, this.now);
    this.autoOptOut = opts.autoOptOut ?? true;
    this.api = new Listener(createApiHandler(this.context()));
    this.cdn = new Listener(createMediaContentHandler((t) => this.mediaTokens.get(t)));
  }

  private context(): ApiContext {
    const self = this;
    const rules: CreateRules = {
      isOptedOut: (to) => self.optedOutSet.has(to),
      isLandline: (to) => self.landlineSet.has(to),
      deliveryFailure: (to) => self.failures.get(to),
      admit: (segments) => self.limiter.admit(segments),
      now: () => self.now(),
      nextSeq: () => self.store.nextSeq(),
      delays: () => ({ ...self.store.delays }),
    };
    return {
      accounts: this.accounts,
      store: this.store,
      rules,
      get stats() {
        return self.stats;
      },
      get latencyMs() {
        return self.latencyMs;
      },
      takeForcedFailure: (isCreate) => {
        const f = self.forced.find((x) => x.only === 'any' || isCreate);
        if (!f) return undefined;
        if (--f.left <= 0) self.forced.splice(self.forced.indexOf(f), 1);
        return f;
      },
      takeDropAfterCreate: () => (self.drops > 0 ? (self.drops--, true) : false),
      mediaContentUrl: (mediaSid) => {
        const token = [...self.mediaTokens].find(([, m]) => m.sid === mediaSid)?.[0];
        return `${self.mediaUrl}/media-content/${token}`;
      },
    };
  }

  async listen(port: number, host: string): Promise<void> {
    await this.api.listen(port, host);
    await this.cdn.listen(0, host);
    this.host = host;
  }

  /** Base URL of the API, e.g. http://127.0.0.1:4010 */
  get url(): string {
    return `http://${this.host}:${this.api.port}`;
  }

  /** Origin of the stand-in media CDN. */
  get mediaUrl(): string {
    return `http://${this.host}:${this.cdn.port}`;
  }

  get port(): number {
    return this.api.port;
  }

  /** The first account, which injected inbound messages belong to by default. */
  get account(): SimAccount {
    return this.accounts[0]!;
  }

  // ---- control ----

  optOut(number: string): void {
    this.optedOutSet.add(number);
  }

  optIn(number: string): void {
    this.optedOutSet.delete(number);
  }

  landline(number: string): void {
    this.landlineSet.add(number);
  }

  /** Sends to this number go queued -> sent -> undelivered (or -> failed) with the given 300xx code. */
  failDelivery(number: string, code: number, status: DeliveryFailureStatus = 'undelivered'): void {
    this.failures.set(number, { code, status });
  }

  clearDeliveryFailure(number: string): void {
    this.failures.delete(number);
  }

  /** The next n requests (or only the next n message creates) answer with an HTTP 5xx. */
  failNext(n = 1, opts: { status?: number; only?: 'any' | 'create' } = {}): void {
    this.forced.push({ status: opts.status ?? 500, only: opts.only ?? 'any', left: n });
  }

  /** The next n creates succeed but the connection is cut before the answer: the client cannot know. */
  dropAfterCreate(n = 1): void {
    this.drops += n;
  }

  setRateLimit(limit: RateLimit | undefined): void {
    this.limiter = createSendLimiter(limit, this.now);
  }

  setDelays(d: { sentMs?: number; deliveredMs?: number }): void {
    this.store.delays = { ...this.store.delays, ...d };
  }

  /** Extra time before every API answer. */
  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  /** Simulate the network going away; 'refuse' (ECONNREFUSED) by default, or 'reset' / 'hang'. */
  async setOffline(offline: boolean, mode: OfflineMode = 'refuse'): Promise<void> {
    await this.api.setOffline(offline ? mode : null);
    await this.cdn.setOffline(offline ? mode : null);
  }

  get offline(): boolean {
    return this.api.offline;
  }

  /** A text (or MMS) from a phone to one of the clinic's numbers, as Twilio would record it. */
  injectInbound(input: InboundInput): SimMessage {
    const accountSid = input.accountSid ?? this.account.sid;
    const t = input.at ? input.at.getTime() : this.now();
    const media: SimMedia[] = (input.media ?? []).map((m) => {
      const item = { sid: newSid('ME'), contentType: m.contentType, bytes: Buffer.from(m.bytes), createdAt: t };
      this.mediaTokens.set(randomBytes(16).toString('hex'), item);
      return item;
    });
    const msg: SimMessage = {
      seq: this.store.nextSeq(),
      sid: newSid(media.length ? 'MM' : 'SM'),
      accountSid,
      direction: 'inbound',
      from: input.from,
      to: input.to,
      body: input.body,
      status: 'received',
      errorCode: null,
      numSegments: input.body ? countSegments(input.body).segments : 1,
      messagingServiceSid: null,
      createdAt: t,
      sentAt: t,
      updatedAt: t,
      media,
      mediaUrls: [],
      timing: { sentMs: 0, deliveredMs: 0 },
      outcome: { status: 'delivered', errorCode: null },
      serviceFrom: null,
    };
    this.store.add(msg);
    const word = input.body.trim().replace(/[.!?]+$/, '').toUpperCase();
    if (this.autoOptOut && STOP_WORDS.has(word)) this.optOut(input.from);
    if (this.autoOptOut && START_WORDS.has(word)) this.optIn(input.from);
    return msg;
  }

  // ---- introspection ----

  get messages(): SimMessage[] {
    return this.store.all();
  }

  outbound(): SimMessage[] {
    return this.messages.filter((m) => m.direction === 'outbound-api');
  }

  inbound(): SimMessage[] {
    return this.messages.filter((m) => m.direction === 'inbound');
  }

  find(sid: string): SimMessage | undefined {
    return this.store.get(sid);
  }

  /** The message as the API would return it. */
  resource(sid: string): Record<string, unknown> | undefined {
    const m = this.store.get(sid);
    return m && this.store.resource(m);
  }

  countByBody(body: string): number {
    return this.outbound().filter((m) => m.body === body).length;
  }

  countByTo(to: string): number {
    return this.outbound().filter((m) => m.to === to).length;
  }

  /** Forget messages, injected faults and counters; keeps accounts, opt-outs and configuration. */
  reset(): void {
    this.store.clear();
    this.mediaTokens.clear();
    this.forced = [];
    this.drops = 0;
    this.stats = emptyStats();
  }

  async close(): Promise<void> {
    await this.api.close();
    await this.cdn.close();
  }
}
