import { ChannelError, classifyNetworkError } from './channel-error';

export interface DownloadedMedia {
  contentType: string;
  bytes: Buffer;
}

export interface MediaDownloadOptions {
  /** The API origin (twilio.com or the configured base URL): only it receives the account's credentials. */
  apiOrigin: URL;
  /** Move *.twilio.com URLs onto apiOrigin (when a base URL is configured). */
  rebase: boolean;
  credentials: { username: string; password: string };
  timeoutMs: number;
}

const MAX_REDIRECTS = 5;

function resolve(url: string, o: MediaDownloadOptions): URL {
  const u = new URL(url, o.apiOrigin);
  if (o.rebase && /(^|\.)twilio\.com$/.test(u.hostname)) {
    const prefix = o.apiOrigin.pathname.replace(/\/$/, '');
    return new URL(`${o.apiOrigin.origin}${prefix}${u.pathname}${u.search}`);
  }
  // A media resource URI (…/Media/ME….json) names the JSON; the content is the same path without .json.
  u.pathname = u.pathname.replace(/(\/Media\/ME[0-9a-fA-F]{32})\.json$/, '$1');
  return u;
}

function httpError(status: number): ChannelError {
  if (status === 401 || status === 403) return new ChannelError('auth', 'Twilio refused the credentials for a media download', { httpStatus: status });
  if (status === 429) return new ChannelError('rate-limited', 'Too many media downloads at once', { httpStatus: status });
  if (status >= 500) return new ChannelError('transient', `Media download failed (HTTP ${status})`, { httpStatus: status });
  return new ChannelError('permanent', `Media download failed (HTTP ${status})`, { httpStatus: status });
}

/**
 * Fetches MMS media the way Twilio serves it: the API answers with a redirect to a storage URL. The
 * account's credentials go only to the API origin, never to the redirect target (a pre-signed URL refuses them).
 */
export async function downloadTwilioMedia(url: string, o: MediaDownloadOptions): Promise<DownloadedMedia> {
  const auth = 'Basic ' + Buffer.from(`${o.credentials.username}:${o.credentials.password}`).toString('base64');
  let target = resolve(url, o);
  const signal = AbortSignal.timeout(o.timeoutMs);
  try {
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const headers: Record<string, string> = target.origin === o.apiOrigin.origin ? { Authorization: auth } : {};
      const res = await fetch(target, { headers, redirect: 'manual', signal });
      if (res.status >= 300 && res.status < 400) {
        const location = res.headers.get('location');
        await res.body?.cancel();
        if (!location) throw new ChannelError('permanent', 'Media download redirected nowhere', { httpStatus: res.status });
        target = new URL(location, target);
        continue;
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw httpError(res.status);
      }
      return { contentType: res.headers.get('content-type') ?? 'application/octet-stream', bytes: Buffer.from(await res.arrayBuffer()) };
    }
    throw new ChannelError('permanent', 'Media download redirected too many times');
  } catch (e) {
    if (e instanceof ChannelError) throw e;
    throw classifyNetworkError(e, 'Twilio media') ?? new ChannelError('permanent', 'Media download failed', { detail: String(e) });
  }
}
