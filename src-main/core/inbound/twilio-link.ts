import { createTwilioChannel, type TwilioChannel, type TwilioChannelOptions } from '../messaging/channels/twilio-channel';
import { twilioOptionsFrom } from '../messaging/channels/from-settings';
import type { SettingsStore } from '../settings/store';
import type { MediaSource } from './media-fetcher';
import type { PollLink } from './poller';

/**
 * The inbound side's own Twilio client, rebuilt when the Twilio settings change. Kept apart from
 * the dispatcher's so a long page of inbound history never queues behind a burst of sends.
 */
export function createInboundLink(settings: SettingsStore, factory: (o: TwilioChannelOptions) => TwilioChannel = createTwilioChannel) {
  let key = '';
  let current: { channel: TwilioChannel; accountSid: string; number: string | null } | null = null;

  const refresh = () => {
    const cfg = settings.twilio();
    const k = JSON.stringify(cfg);
    if (k === key) return current;
    key = k;
    current?.channel.close();
    current = null;
    if (!cfg) return null;
    try {
      const channel = factory({
        ...twilioOptionsFrom(cfg),
        timeoutMs: 20_000,
        maxSockets: 4,
      });
      // With a Messaging Service the clinic may own several numbers: list them all, keep the inbound.
      current = { channel, accountSid: cfg.accountSid, number: cfg.messagingServiceSid ? null : cfg.fromNumber || null };
    } catch {
      current = null;
    }
    return current;
  };

  return {
    poll(): PollLink | null {
      const c = refresh();
      return c ? { accountSid: c.accountSid, number: c.number, list: (q) => c.channel.list(q) } : null;
    },
    media(): MediaSource | null {
      const c = refresh();
      return c ? { listMedia: (sid) => c.channel.listMedia(sid), downloadMedia: (url) => c.channel.downloadMedia(url) } : null;
    },
    close() {
      current?.channel.close();
      current = null;
      key = '';
    },
  };
}
