import { DELIVERY_ERROR_TEXT } from './twilio-errors';
import { rfc2822 } from './ids';
import type { Delays, SimMedia, SimMessage } from './types';

export const API_VERSION = '2010-04-01';

export function messageUri(m: { accountSid: string; sid: string }): string {
  return `/${API_VERSION}/Accounts/${m.accountSid}/Messages/${m.sid}`;
}

/**
 * Holds messages in creation order and moves outbound ones along queued -> sent -> final lazily,
 * from their creation time, so whoever reads (a poll, a test) sees the status the clock says.
 */
export class MessageStore {
  private readonly list: SimMessage[] = [];
  private readonly bySid = new Map<string, SimMessage>();
  private seq = 0;

  constructor(
    private readonly now: () => number,
    public delays: Delays,
    private readonly pricePerSegment: number,
    private readonly priceUnit: string,
  ) {}

  nextSeq(): number {
    return ++this.seq;
  }

  add(m: SimMessage): void {
    this.list.push(m);
    this.bySid.set(m.sid, m);
  }

  get(sid: string): SimMessage | undefined {
    const m = this.bySid.get(sid);
    if (m) this.progress(m);
    return m;
  }

  all(): SimMessage[] {
    for (const m of this.list) this.progress(m);
    return this.list.slice();
  }

  clear(): void {
    this.list.length = 0;
    this.bySid.clear();
  }

  private progress(m: SimMessage): void {
    if (m.direction !== 'outbound-api') return;
    const t = this.now();
    if (m.status === 'queued' && t >= m.createdAt + m.timing.sentMs) {
      const at = m.createdAt + m.timing.sentMs;
      m.sentAt = at;
      m.updatedAt = at;
      m.from = m.from ?? m.serviceFrom;
      if (m.outcome.status === 'failed') {
        m.status = 'failed';
        m.errorCode = m.outcome.errorCode;
      } else {
        m.status = 'sent';
      }
    }
    if (m.status === 'sent' && m.sentAt !== null && t >= m.sentAt + m.timing.deliveredMs) {
      m.status = m.outcome.status;
      m.errorCode = m.outcome.errorCode;
      m.updatedAt = m.sentAt + m.timing.deliveredMs;
    }
  }

  private price(m: SimMessage): string | null {
    if (m.status === 'queued') return null;
    return (-(m.numSegments * this.pricePerSegment)).toFixed(5);
  }

  resource(m: SimMessage): Record<string, unknown> {
    const uri = messageUri(m);
    return {
      account_sid: m.accountSid,
      api_version: API_VERSION,
      body: m.body,
      date_created: rfc2822(m.createdAt),
      date_sent: rfc2822(m.sentAt),
      date_updated: rfc2822(m.updatedAt),
      direction: m.direction,
      error_code: m.errorCode,
      error_message: m.errorCode === null ? null : (DELIVERY_ERROR_TEXT[m.errorCode] ?? 'Unknown error'),
      from: m.from,
      messaging_service_sid: m.messagingServiceSid,
      num_media: String(m.direction === 'inbound' ? m.media.length : m.mediaUrls.length),
      num_segments: String(m.numSegments),
      price: this.price(m),
      price_unit: this.priceUnit,
      sid: m.sid,
      status: m.status,
      subresource_uris: { media: `${uri}/Media.json`, feedback: `${uri}/Feedback.json` },
      to: m.to,
      uri: `${uri}.json`,
    };
  }

  mediaResource(m: SimMessage, media: SimMedia): Record<string, unknown> {
    return {
      account_sid: m.accountSid,
      content_type: media.contentType,
      date_created: rfc2822(media.createdAt),
      date_updated: rfc2822(media.createdAt),
      parent_sid: m.sid,
      sid: media.sid,
      uri: `${messageUri(m)}/Media/${media.sid}.json`,
    };
  }
}
