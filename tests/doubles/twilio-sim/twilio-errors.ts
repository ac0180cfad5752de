/** Twilio's REST error body: {code, message, more_info, status}, as RestException in twilio-node reads it. */
export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

export class SimHttpError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: number,
    message: string,
    public readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toBody(): TwilioErrorBody {
    return { code: this.code, message: this.message, more_info: `https://www.twilio.com/docs/errors/${this.code}`, status: this.status };
  }
}

export const errors = {
  authenticate: () => new SimHttpError(401, 20003, 'Authenticate', { 'WWW-Authenticate': 'Basic realm="Twilio API"' }),
  notFound: (path: string) => new SimHttpError(404, 20404, `The requested resource ${path} was not found`),
  tooManyRequests: () => new SimHttpError(429, 20429, 'Too Many Requests'),
  server: (status = 500) =>
    status === 503
      ? new SimHttpError(503, 20503, 'Service Unavailable')
      : new SimHttpError(status, 20500, 'An internal server error has occurred'),
  bodyRequired: () => new SimHttpError(400, 21602, 'Message body is required.'),
  fromRequired: () => new SimHttpError(400, 21603, "A 'From' phone number is required."),
  toRequired: () => new SimHttpError(400, 21604, "A 'To' phone number is required."),
  notOwnedFrom: (from: string) =>
    new SimHttpError(400, 21606, `The From phone number ${from} is not a valid, SMS-capable inbound phone number or short code for your account.`),
  invalidFrom: (from: string) => new SimHttpError(400, 21212, `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.`),
  invalidTo: (to: string) => new SimHttpError(400, 21211, `The 'To' number ${to} is not a valid phone number.`),
  optedOut: () => new SimHttpError(400, 21610, 'Attempt to send to unsubscribed recipient'),
  notMobile: () => new SimHttpError(400, 21614, "'To' number is not a valid mobile number"),
  tooLong: () => new SimHttpError(400, 21617, 'The concatenated message body exceeds the 1600 character limit.'),
  invalidService: (sid: string) => new SimHttpError(400, 21701, `The Messaging Service Sid ${sid} is invalid.`),
};

/** Texts Twilio puts in error_message for the delivery failures the simulator can play. */
export const DELIVERY_ERROR_TEXT: Record<number, string> = {
  30003: 'Unreachable destination handset',
  30005: 'Unknown destination handset',
  30006: 'Landline or unreachable carrier',
  30007: 'Message filtered',
  30008: 'Unknown error',
};
