import type { Lang } from './locale';

export type TemplateChannel = 'sms' | 'email' | 'postcard';
export type TemplateKind = 'reminder' | 'appointment' | 'reply' | 'campaign' | 'alert' | 'other';

/** One language+channel variant. `html` is optional: emails without one get a layout built from `body`. */
export interface TemplateText {
  subject?: string | null;
  body: string;
  html?: string | null;
}

export interface TemplateDef {
  id: string;
  kind: TemplateKind;
  label: string;
  variants: Partial<Record<Lang, Partial<Record<TemplateChannel, TemplateText>>>>;
}

/** What the clinic is called and how to reach it, as every template sees it. */
export interface ClinicContext {
  name: string;
  phone: string;
  email: string;
  website: string;
  /** One line: '1200 Larkspur Way, Seattle, WA 98103'. */
  address: string;
}

export interface ClientContext {
  firstName: string;
  lastName: string;
}

/** The merge context: clinic and client are always there; domains add their own fields. */
export interface MessageContext {
  clinic: ClinicContext;
  client?: ClientContext;
  [field: string]: unknown;
}

export interface RenderedMessage {
  templateId: string | null;
  lang: Lang;
  channel: TemplateChannel;
  subject: string | null;
  body: string;
  html: string | null;
  /** SMS only. */
  segments: number | null;
  encoding: 'GSM-7' | 'UCS-2' | null;
  /** The text carries the opt-out sentence. */
  hasOptOut: boolean;
}
