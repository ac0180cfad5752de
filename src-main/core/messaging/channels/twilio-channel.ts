import twilio from 'twilio';
import { ChannelError, classifyTwilioError } from './errors';
import { RebasedRequestClient } from './twilio-http';
import { downloadTwilioMedia } from './twilio-media';
import type { Instance, TwilioChannel, TwilioChannelOptions, TwilioMessage } from './twilio-types';

export type * from './twilio-types';
export type { DownloadedMedia } from './twilio-media';

type ListPage = { instances: Instance[]; nextPageUrl?: string; nextPage(): Promise<ListPage | undefined> };

function toMessage(m: Instance): TwilioMessage {
  return {
    sid: m.sid,
    accountSid: m.accountSid,
    direction: m.direction,
    from: m.from ?? null,
    to: m.to,
    body: m.body ?? '',
    status: m.status,
    errorCode: m.errorCode ?? null,
    errorMessage: m.errorMessage ?? null,
    numSegments: Number(m.numSegments ?? 0),
    numMedia: Number(m.numMedia ?? 0),
    price: m.price === null || m.price === undefined ? null : Number(m.price),
    priceUnit: m.priceUnit ?? null,
    messagingServiceSid: m.messagingServiceSid ?? null,
    dateCreated: m.dateCreated ?? null,
    dateSent: m.dateSent ?? null,
    dateUpdated: m.dateUpdated ?? null,
  };
}

async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw classifyTwilioError(e);
  }
}

export function createTwilioChannel(opts: TwilioChannelOptions): TwilioChannel {
  const usingKey = Boolean(opts.apiKey);
  const username = usingKey ? opts.apiKey : opts.accountSid;
  const password = usingKey ? opts.apiSecret : opts.authToken;
  if (!opts.accountSid || !username || !password)
    throw new ChannelError('auth', 'Twilio credentials are incomplete', {
      hint: 'Enter the Account SID and either the Auth Token or an API key SID with its secret.',
    });
  const timeout = opts.timeoutMs ?? 15_000;
  const httpClient = new RebasedRequestClient({
    baseUrl: opts.baseUrl ?? 'https://api.twilio.com',
    timeout,
    maxSockets: opts.maxSockets,
    // Keep every pooled socket open between bursts: a send queue frees several at once, and closing
    // the ones over the default of 5 meant a new TCP connection for most requests.
    maxFreeSockets: opts.maxSockets,
  });
  let client: twilio.Twilio;
  try {
    client = twilio(username, password, { accountSid: opts.accountSid, httpClient, timeout });
  } catch (e) {
    throw new ChannelError('auth', 'The Twilio Account SID is not valid', {
      detail: e instanceof Error ? e.message : String(e),
      hint: 'The Account SID starts with AC; API keys start with SK and go in the API key field.',
    });
  }
  const apiOrigin = httpClient.baseUrl;
  const credentials = { username, password };

  return {
    async send({ to, body, mediaUrls }) {
      if (!opts.from && !opts.messagingServiceSid)
        throw new ChannelError('permanent', 'No Twilio sender is set', { hint: 'Choose the sending number or Messaging Service in Settings > Twilio.' });
      const m = await guarded(() =>
        client.messages.create({
          to,
          body,
          ...(opts.messagingServiceSid ? { messagingServiceSid: opts.messagingServiceSid } : { from: opts.from }),
          ...(mediaUrls?.length ? { mediaUrl: mediaUrls } : {}),
        }),
      );
      const out = toMessage(m as unknown as Instance);
      return {
        sid: out.sid,
        status: out.status,
        numSegments: out.numSegments,
        ...(out.price === null ? {} : { price: out.price }),
        from: out.from,
        dateCreated: out.dateCreated,
      };
    },

    async fetch(sid) {
      const m = await guarded(() => client.messages(sid).fetch());
      return toMessage(m as unknown as Instance);
    },

    list(query = {}) {
      const params = {
        ...(query.to ? { to: query.to } : {}),
        ...(query.from ? { from: query.from } : {}),
        ...(query.dateSentAfter ? { dateSentAfter: query.dateSentAfter } : {}),
        ...(query.dateSentBefore ? { dateSentBefore: query.dateSentBefore } : {}),
        pageSize: query.pageSize ?? 200,
      };
      const wanted = (d: string) => !query.direction || (query.direction === 'inbound' ? d === 'inbound' : d.startsWith('outbound'));
      return {
        async *[Symbol.asyncIterator]() {
          let page = (await guarded(() => client.messages.page(params))) as unknown as ListPage;
          for (;;) {
            for (const m of page.instances) {
              const msg = toMessage(m);
              if (wanted(msg.direction)) yield msg;
            }
            if (!page.nextPageUrl) return;
            const current = page;
            const next = await guarded(() => current.nextPage());
            if (!next) return;
            page = next;
          }
        },
      };
    },

    async fetchAccount() {
      try {
        const a = await client.api.v2010.accounts(opts.accountSid).fetch();
        return { sid: a.sid, friendlyName: a.friendlyName, status: a.status };
      } catch (e) {
        const err = classifyTwilioError(e);
        // Standard API keys may not read /Accounts; reading one page of messages proves the key instead.
        if (!usingKey || err.kind !== 'auth') throw err;
        await guarded(() => client.messages.page({ pageSize: 1 }));
        return { sid: opts.accountSid, friendlyName: opts.accountSid, status: 'active' };
      }
    },

    async listMedia(messageSid) {
      const items = await guarded(() => client.messages(messageSid).media.list({ pageSize: 100 }));
      return items.map((x) => ({
        sid: x.sid,
        contentType: x.contentType,
        url: `${apiOrigin.origin}${x.uri.replace(/\.json$/, '')}`,
      }));
    },

    downloadMedia(url) {
      return downloadTwilioMedia(url, { apiOrigin, rebase: Boolean(opts.baseUrl), credentials, timeoutMs: timeout });
    },

    close() {
      httpClient.destroy();
    },
  };
}
