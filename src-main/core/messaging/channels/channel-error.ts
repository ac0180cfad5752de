/**
 * One error shape for every channel, so the dispatcher decides on `kind` alone:
 *   auth            credentials refused: pause the channel, tell the desk (hint says what to check)
 *   opted-out       the carrier holds an opt-out (Twilio 21610): record consent, never retry
 *   invalid-number  not a valid destination (21211): mark the number, never retry
 *   not-mobile      a landline (21614): mark the number, never retry
 *   rate-limited    429 / 20429: slow down and retry with backoff
 *   transient       5xx, request timeout, SMTP 4xx: retry later
 *   offline         cannot reach the provider (DNS, refused, reset, connect timeout): wait for the network
 *   quota           the mailbox's sending quota is spent (554 5.2.0): pause until tomorrow
 *   bounced         the mail server refused this recipient (550 5.1.1): mark the address
 *   tls             TLS setting does not match the server, or its certificate is refused
 *   permanent       anything else the provider refused: do not retry blindly
 * `uncertain` is true when the request may have reached the provider before it failed (reset or timeout
 * mid-request), so the message must be looked up before any retry.
 * `message` never contains personal data; `detail` is the provider's own text and may (do not log it).
 */
export type ChannelErrorKind =
  | 'auth'
  | 'opted-out'
  | 'invalid-number'
  | 'not-mobile'
  | 'rate-limited'
  | 'transient'
  | 'offline'
  | 'quota'
  | 'bounced'
  | 'tls'
  | 'permanent';

export interface ChannelErrorInit {
  code?: number;
  httpStatus?: number;
  hint?: string;
  uncertain?: boolean;
  detail?: string;
  /** SMTP enhanced status, e.g. "5.1.1". */
  enhancedCode?: string;
}

export class ChannelError extends Error {
  readonly code?: number;
  readonly httpStatus?: number;
  readonly hint?: string;
  readonly uncertain: boolean;
  readonly detail?: string;
  readonly enhancedCode?: string;

  constructor(
    public readonly kind: ChannelErrorKind,
    message: string,
    init: ChannelErrorInit = {},
  ) {
    super(message);
    this.name = 'ChannelError';
    this.code = init.code;
    this.httpStatus = init.httpStatus;
    this.hint = init.hint;
    this.uncertain = init.uncertain ?? false;
    this.detail = init.detail;
    this.enhancedCode = init.enhancedCode;
  }
}

export function isChannelError(e: unknown): e is ChannelError {
  return e instanceof ChannelError;
}

// Error codes Node (and undici, axios) put on socket-level failures.
const CONNECT_FAILED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'EADDRNOTAVAIL']);
const MID_REQUEST = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_SOCKET', 'ECONNABORTED', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** The first system error code found on an error, its cause chain, or an AggregateError's members. */
export function networkCode(err: unknown, depth = 0): string | undefined {
  if (!err || typeof err !== 'object' || depth > 4) return undefined;
  const e = err as { code?: unknown; cause?: unknown; errors?: unknown[] };
  if (typeof e.code === 'string' && /^(E[A-Z_]+|UND_ERR_[A-Z_]+)$/.test(e.code)) return e.code;
  if (Array.isArray(e.errors)) for (const x of e.errors) {
    const c = networkCode(x, depth + 1);
    if (c) return c;
  }
  return networkCode(e.cause, depth + 1);
}

function isTimeout(err: unknown): boolean {
  const e = err as { code?: unknown; name?: unknown; message?: unknown };
  return e.name === 'TimeoutError' || (e.code === 'ECONNABORTED' && /timeout/i.test(String(e.message)));
}

/**
 * Socket-level failure -> offline or transient; undefined when the error is not a network one.
 * A request timeout is `transient` (the server may be slow); failing to connect at all is `offline`.
 */
export function classifyNetworkError(err: unknown, what: string): ChannelError | undefined {
  if (isTimeout(err)) return new ChannelError('transient', `${what} did not answer in time`, { uncertain: true });
  const code = networkCode(err);
  if (!code) return undefined;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new ChannelError('offline', `${what}: host not found (check the address, or the internet connection)`, { detail: code });
  if (CONNECT_FAILED.has(code)) return new ChannelError('offline', `${what} cannot be reached (${code})`, { detail: code });
  if (MID_REQUEST.has(code))
    return new ChannelError('offline', `${what}: the connection was lost (${code})`, { detail: code, uncertain: true });
  return undefined;
}
