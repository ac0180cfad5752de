import type http from 'node:http';
import { authenticate } from './auth';
import { createOutbound, type CreateRules } from './create-message';
import { rfc2822 } from './ids';
import { listMessages } from './list-query';
import { API_VERSION, type MessageStore } from './store';
import { SimHttpError, errors } from './twilio-errors';
import type { SimAccount, SimStats } from './types';

export interface ForcedFailure {
  status: number;
  only: 'any' | 'create';
}

/** What the HTTP layer needs from the simulator. */
export interface ApiContext {
  accounts: SimAccount[];
  store: MessageStore;
  rules: CreateRules;
  stats: SimStats;
  latencyMs: number;
  /** Consumed by the next matching request. */
  takeForcedFailure(isCreate: boolean): ForcedFailure | undefined;
  /** true: create the message, then drop the connection without answering. */
  takeDropAfterCreate(): boolean;
  mediaContentUrl(mediaSid: string): string;
}

const MAX_BODY = 1_000_000;

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) return void req.destroy();
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
    req.on('close', () => reject(new Error('request closed before its end')));
  });
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function countError(ctx: ApiContext, e: SimHttpError): void {
  ctx.stats.byCode[e.code] = (ctx.stats.byCode[e.code] ?? 0) + 1;
  if (e.status === 429) ctx.stats.rateLimited++;
  if (e.status >= 500) ctx.stats.serverErrors++;
}

const ROUTES = {
  account: /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\.json$/,
  messages: /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\/Messages\.json$/,
  message: /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\/Messages\/((?:SM|MM)[0-9a-fA-F]{32})\.json$/,
  mediaList: /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\/Messages\/((?:SM|MM)[0-9a-fA-F]{32})\/Media\.json$/,
  media: /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\/Messages\/((?:SM|MM)[0-9a-fA-F]{32})\/Media\/(ME[0-9a-fA-F]{32})(\.json)?$/,
};

export function createApiHandler(ctx: ApiContext) {
  return async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    ctx.stats.requests++;
    const url = new URL(req.url ?? '/', 'http://sim');
    const method = req.method ?? 'GET';
    try {
      const body = method === 'POST' ? await readBody(req) : '';
      if (ctx.latencyMs > 0) await new Promise((r) => setTimeout(r, ctx.latencyMs));
      const isCreate = method === 'POST' && ROUTES.messages.test(url.pathname);
      const forced = ctx.takeForcedFailure(isCreate);
      if (forced) throw errors.server(forced.status);
      const result = route(ctx, req, method, url, body);
      if (result === 'drop') return void req.socket.destroy();
      if (result.redirect) {
        res.writeHead(307, { Location: result.redirect, 'Content-Length': 0 });
        return void res.end();
      }
      send(res, result.status, result.body);
    } catch (e) {
      if (!(e instanceof SimHttpError)) {
        send(res, 500, errors.server().toBody());
        return;
      }
      countError(ctx, e);
      send(res, e.status, e.toBody(), e.headers);
    }
  };
}

type RouteResult = 'drop' | { status: number; body?: unknown; redirect?: string };

function route(ctx: ApiContext, req: http.IncomingMessage, method: string, url: URL, body: string): RouteResult {
  const path = url.pathname;
  const accountSid = /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})[./]/.exec(path)?.[1];
  if (!accountSid) throw errors.notFound(path);
  const principal = authenticate(req.headers.authorization, ctx.accounts);
  if (!principal || principal.account.sid !== accountSid) throw errors.authenticate();
  const account = principal.account;

  let m: RegExpExecArray | null;
  if (method === 'GET' && ROUTES.account.test(path)) {
    // Twilio: Standard API keys reach every resource except /Accounts and /Keys.
    if (principal.keyType === 'standard') throw errors.authenticate();
    return { status: 200, body: accountResource(account) };
  }
  if (ROUTES.messages.test(path)) {
    if (method === 'POST') {
      const msg = createOutbound(account, new URLSearchParams(body), ctx.rules);
      ctx.store.add(msg);
      ctx.stats.created++;
      if (ctx.takeDropAfterCreate()) return 'drop';
      // The create answer always shows the message as just queued, whatever the clock says.
      return { status: 201, body: { ...ctx.store.resource(msg), status: 'queued', price: null } };
    }
    if (method === 'GET') {
      const mine = ctx.store.all().filter((x) => x.accountSid === account.sid);
      const { items, body: page } = listMessages(mine, path, url.searchParams, 'messages');
      return { status: 200, body: { ...page, messages: items.map((x) => ctx.store.resource(x)) } };
    }
  }
  if (method === 'GET' && (m = ROUTES.message.exec(path))) {
    const msg = ctx.store.get(m[2]!);
    if (!msg || msg.accountSid !== account.sid) throw errors.notFound(path);
    return { status: 200, body: ctx.store.resource(msg) };
  }
  if (method === 'GET' && (m = ROUTES.mediaList.exec(path))) {
    const msg = ctx.store.get(m[2]!);
    if (!msg || msg.accountSid !== account.sid) throw errors.notFound(path);
    const pageSize = Math.min(1000, Math.max(1, Number(url.searchParams.get('PageSize') ?? 50) || 50));
    const items = msg.media.slice(0, pageSize);
    const uri = `${path}?PageSize=${pageSize}&Page=0`;
    return {
      status: 200,
      body: {
        media_list: items.map((x) => ctx.store.mediaResource(msg, x)),
        end: Math.max(0, items.length - 1),
        first_page_uri: uri,
        next_page_uri: null,
        page: 0,
        page_size: pageSize,
        previous_page_uri: null,
        start: 0,
        uri,
      },
    };
  }
  if (method === 'GET' && (m = ROUTES.media.exec(path))) {
    const msg = ctx.store.get(m[2]!);
    const media = msg?.accountSid === account.sid ? msg.media.find((x) => x.sid === m![3]) : undefined;
    if (!msg || !media) throw errors.notFound(path);
    if (m[4]) return { status: 200, body: ctx.store.mediaResource(msg, media) };
    return { status: 307, redirect: ctx.mediaContentUrl(media.sid) };
  }
  throw errors.notFound(path);
}

function accountResource(a: SimAccount): Record<string, unknown> {
  const base = `/${API_VERSION}/Accounts/${a.sid}`;
  return {
    auth_token: a.authToken,
    date_created: rfc2822(Date.UTC(2024, 0, 2)),
    date_updated: rfc2822(Date.UTC(2024, 0, 2)),
    friendly_name: a.friendlyName ?? 'Pawline simulator',
    owner_account_sid: a.sid,
    sid: a.sid,
    status: 'active',
    subresource_uris: { messages: `${base}/Messages.json`, incoming_phone_numbers: `${base}/IncomingPhoneNumbers.json` },
    type: 'Full',
    uri: `${base}.json`,
  };
}
