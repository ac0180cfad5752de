/** Channel errors: the shape (channel-error) and how each provider's failures map onto it. */
export { ChannelError, classifyNetworkError, isChannelError, networkCode } from './channel-error';
export type { ChannelErrorInit, ChannelErrorKind } from './channel-error';
export { classifyTwilioError } from './twilio-errors';
export { classifySmtpError, type SmtpErrorContext } from './smtp-errors';
