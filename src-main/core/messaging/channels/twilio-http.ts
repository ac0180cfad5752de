import http from 'node:http';
import https from 'node:https';
import twilio from 'twilio';
import type RequestClientBase from 'twilio/lib/base/RequestClient';

export interface RebasedRequestClientOptions extends RequestClientBase.RequestClientOptions {
  /** Origin every request goes to instead of *.twilio.com, e.g. http://127.0.0.1:4010. Path and query are kept. */
  baseUrl: string;
}

/**
 * twilio's own RequestClient (auth, form encoding, timeouts, paging all unchanged) with the origin of each
 * request replaced, so `twilio(sid, token, { httpClient })` talks to a simulator or a Twilio-compatible proxy.
 */
export class RebasedRequestClient extends twilio.RequestClient {
  readonly baseUrl: URL;

  constructor(opts: RebasedRequestClientOptions) {
    const { baseUrl, ...rest } = opts;
    super(rest);
    this.baseUrl = new URL(baseUrl);
    // The parent only builds an https agent; a plain-http base needs the same pooling to keep its speed.
    const agentOpts = {
      keepAlive: rest.keepAlive !== false,
      keepAliveMsecs: rest.keepAliveMsecs,
      maxSockets: rest.maxSockets ?? 20,
      maxFreeSockets: rest.maxFreeSockets ?? 5,
      timeout: rest.timeout,
    };
    if (this.baseUrl.protocol === 'http:') this.axios.defaults.httpAgent = new http.Agent(agentOpts);
    else if (!process.env.HTTP_PROXY) this.axios.defaults.httpsAgent = new https.Agent({ ...agentOpts, ca: rest.ca });
  }

  rebase(uri: string): string {
    const u = new URL(uri);
    const base = this.baseUrl;
    const prefix = base.pathname.replace(/\/$/, '');
    return `${base.origin}${prefix}${u.pathname}${u.search}`;
  }

  override request<TData>(opts: RequestClientBase.RequestOptions<TData>) {
    return super.request<TData>({ ...opts, uri: this.rebase(opts.uri) });
  }

  /** Closes pooled sockets (the parent keeps them alive). */
  destroy(): void {
    const d = this.axios.defaults as { httpAgent?: http.Agent; httpsAgent?: https.Agent };
    d.httpAgent?.destroy();
    d.httpsAgent?.destroy();
  }
}
