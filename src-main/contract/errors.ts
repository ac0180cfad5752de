/** The error shape every API call can fail with, whichever host carried it. */
export interface ApiErrorShape {
  /** Stable machine code, e.g. 'validation', 'not-found', 'twilio.auth', 'smtp.tls'. */
  code: string;
  /** A sentence a receptionist can act on. */
  message: string;
  /** Field-level messages for forms, keyed by the field's path ('accountSid', 'address.city'). */
  fields?: Record<string, string>;
}

/** What a transport returns for one call: never throws across the wire. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiErrorShape };
