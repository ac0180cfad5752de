/** Message templates (mustache) shared by reminders, appointments, inbox replies and campaigns. */

export type TemplateLang = 'en' | 'fr' | 'es';
export type TemplateChannelName = 'sms' | 'email' | 'postcard';
export type TemplateKindName = 'reminder' | 'appointment' | 'reply' | 'campaign' | 'alert' | 'other';

export interface TemplateSummary {
  id: string;
  kind: TemplateKindName;
  label: string;
  builtIn: boolean;
  variants: { lang: TemplateLang; channel: TemplateChannelName; custom: boolean }[];
}

export interface TemplateTextDto {
  subject?: string | null;
  body: string;
  html?: string | null;
}

export interface TemplateVariantDto extends TemplateTextDto {
  id: string;
  lang: TemplateLang;
  channel: TemplateChannelName;
  custom: boolean;
  /** A missing fr/es variant falls back to en. */
  effectiveLang: TemplateLang;
}

export interface TemplatePreview {
  subject: string | null;
  body: string;
  html: string | null;
  segments: number | null;
  encoding: 'GSM-7' | 'UCS-2' | null;
  estCost: number | null;
}

export interface TemplatesApi {
  'templates.list': (arg: void) => TemplateSummary[];
  'templates.get': (arg: { id: string; lang: TemplateLang; channel: TemplateChannelName }) => TemplateVariantDto | null;
  'templates.save': (arg: TemplateTextDto & { id: string; lang: TemplateLang; channel: TemplateChannelName; kind?: TemplateKindName; label?: string }) => TemplateVariantDto;
  'templates.reset': (arg: { id: string; lang: TemplateLang; channel: TemplateChannelName }) => TemplateVariantDto | null;
  /** Renders with sample data (two pets, the clinic's own name and phone), with the opt-out line. */
  'templates.preview': (arg: { id?: string; text?: TemplateTextDto; lang: TemplateLang; channel: TemplateChannelName }) => TemplatePreview;
}
