import { ChannelError, classifyNetworkError } from './channel-error';

const TWILIO_AUTH_HINT = 'Check the Account SID and Auth Token (or API key SID and secret) in Settings > Twilio.';
const TWILIO_CONFIG_CODES = new Set([21212, 21603, 21606, 21701]);

/** A RestException from the twilio client (duck-typed: status + code from Twilio's error body). */
function restFields(err: unknown): { status: number; code?: number; message: string } | undefined {
  const e = err as { status?: unknown; code?: unknown; message?: unknown; moreInfo?: unknown };
  if (typeof e?.status !== 'number') return undefined;
  return { status: e.status, code: typeof e.code === 'number' ? e.code : undefined, message: String(e.message ?? '') };
}

export function classifyTwilioError(err: unknown): ChannelError {
  if (err instanceof ChannelError) return err;
  const rest = restFields(err);
  if (!rest) {
    return (
      classifyNetworkError(err, 'Twilio') ??
      new ChannelError('permanent', 'Twilio request failed unexpectedly', { detail: err instanceof Error ? err.message : String(err) })
    );
  }
  const { status, code, message: detail } = rest;
  const init = { code, httpStatus: status, detail };
  if (code === 20003 || status === 401 || status === 403)
    return new ChannelError('auth', 'Twilio refused the credentials', { ...init, hint: TWILIO_AUTH_HINT });
  if (code === 21610) return new ChannelError('opted-out', 'The recipient has opted out of texts from this number (Twilio 21610)', init);
  if (code === 21211) return new ChannelError('invalid-number', 'The recipient number is not a valid phone number (Twilio 21211)', init);
  if (code === 21614) return new ChannelError('not-mobile', 'The recipient number is not a mobile number (Twilio 21614)', init);
  if (code === 20429 || status === 429) return new ChannelError('rate-limited', 'Twilio asked to slow down (too many requests)', init);
  if (status >= 500) return new ChannelError('transient', `Twilio had a server error (HTTP ${status})`, { ...init, uncertain: true });
  if (code !== undefined && TWILIO_CONFIG_CODES.has(code))
    return new ChannelError('permanent', `Twilio refused the sender settings (${code})`, {
      ...init,
      hint: 'Check the sending number or Messaging Service SID in Settings > Twilio.',
    });
  return new ChannelError('permanent', `Twilio refused the request (${code ?? `HTTP ${status}`})`, init);
}
