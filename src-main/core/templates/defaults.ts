import type { Lang } from './locale';
import type { TemplateChannel, TemplateDef, TemplateText } from './types';

/**
 * The templates Pawline ships with. SMS bodies fit one GSM-7 segment for a one-pet household
 * with a typical name (checked by tests against a 33-character clinic name): no emoji, no curly
 * quotes, and in French and Spanish only accented letters that GSM-7 carries (é, è, à, ù).
 *
 * Merge fields (all templates): clinic.name, clinic.phone, clinic.email, clinic.website,
 * clinic.address, client.firstName, client.lastName, optOut ("Reply STOP to opt out." when this
 * text must carry it, else empty).
 * Reminders add: pets (the household sentence), petsDated (the same with each pet's date in it: what the
 * shipped texts use, so no date reads as another service's), petNames, due (first due date), items[] {pet, service, due}.
 * Appointments add: pet, date, time, when ('today', 'tomorrow' or the date), doctor.
 */

type Variants = Partial<Record<Lang, Partial<Record<TemplateChannel, TemplateText>>>>;

const OPT = '{{#optOut}} {{optOut}}{{/optOut}}';

const reminderUpcoming: Variants = {
  en: {
    sms: { body: `{{clinic.name}}: {{petsDated}}. Call {{clinic.phone}} to book.${OPT}` },
    email: {
      subject: '{{petNames}}: time for a visit at {{clinic.name}}',
      body: `Hello{{#client.firstName}} {{client.firstName}}{{/client.firstName}},

{{pets}}.

{{#items}}
- {{pet}}: {{service}}, due {{due}}
{{/items}}

Call us at {{clinic.phone}} or reply to this email to book a visit.`,
    },
    postcard: {
      body: `{{pets}}.

{{#items}}
{{pet}}: {{service}}, due {{due}}
{{/items}}

Call {{clinic.phone}} to book a visit.`,
    },
  },
  fr: {
    sms: { body: `{{clinic.name}} : rappel pour {{petsDated}}. RDV au {{clinic.phone}}.${OPT}` },
    email: {
      subject: '{{petNames}} : rappel de {{clinic.name}}',
      body: `Bonjour{{#client.firstName}} {{client.firstName}}{{/client.firstName}},

C'est bientôt le moment pour {{pets}}.

{{#items}}
- {{pet}} : {{service}}, pour le {{due}}
{{/items}}

Appelez-nous au {{clinic.phone}} ou répondez à ce courriel pour prendre rendez-vous.`,
    },
    postcard: {
      body: `Rappel pour {{pets}}.

{{#items}}
{{pet}} : {{service}}, pour le {{due}}
{{/items}}

Appelez le {{clinic.phone}} pour prendre rendez-vous.`,
    },
  },
  es: {
    sms: { body: `{{clinic.name}}: recordatorio para {{petsDated}}. Citas al {{clinic.phone}}.${OPT}` },
    email: {
      subject: '{{petNames}}: recordatorio de {{clinic.name}}',
      body: `Hola{{#client.firstName}} {{client.firstName}}{{/client.firstName}}:

Se acerca la fecha para {{pets}}.

{{#items}}
- {{pet}}: {{service}}, antes del {{due}}
{{/items}}

Llame al {{clinic.phone}} o responda a este correo para pedir una cita.`,
    },
    postcard: {
      body: `Recordatorio para {{pets}}.

{{#items}}
{{pet}}: {{service}}, antes del {{due}}
{{/items}}

Llame al {{clinic.phone}} para pedir una cita.`,
    },
  },
};

const reminderOverdue: Variants = {
  en: {
    sms: { body: `{{clinic.name}}: {{petsDated}}. Please call {{clinic.phone}} to book.${OPT}` },
    email: {
      subject: '{{petNames}}: overdue care at {{clinic.name}}',
      body: `Hello{{#client.firstName}} {{client.firstName}}{{/client.firstName}},

{{pets}}.

{{#items}}
- {{pet}}: {{service}}, was due {{due}}
{{/items}}

If you have had this done elsewhere, reply and let us know. Otherwise call us at {{clinic.phone}} to book.`,
    },
    postcard: {
      body: `{{pets}}.

{{#items}}
{{pet}}: {{service}}, was due {{due}}
{{/items}}

Call {{clinic.phone}} to book a visit.`,
    },
  },
  fr: {
    sms: { body: `{{clinic.name}} : soins en retard pour {{petsDated}}. RDV au {{clinic.phone}}.${OPT}` },
    email: {
      subject: '{{petNames}} : soins en retard, {{clinic.name}}',
      body: `Bonjour{{#client.firstName}} {{client.firstName}}{{/client.firstName}},

Des soins sont en retard pour {{pets}}.

{{#items}}
- {{pet}} : {{service}}, prévu le {{due}}
{{/items}}

Si c'est déjà fait ailleurs, répondez-nous. Sinon, appelez le {{clinic.phone}} pour prendre rendez-vous.`,
    },
    postcard: {
      body: `Soins en retard pour {{pets}}.

{{#items}}
{{pet}} : {{service}}, prévu le {{due}}
{{/items}}

Appelez le {{clinic.phone}} pour prendre rendez-vous.`,
    },
  },
  es: {
    sms: { body: `{{clinic.name}}: pendiente para {{petsDated}}. Citas al {{clinic.phone}}.${OPT}` },
    email: {
      subject: '{{petNames}}: cuidados atrasados, {{clinic.name}}',
      body: `Hola{{#client.firstName}} {{client.firstName}}{{/client.firstName}}:

Hay cuidados atrasados para {{pets}}.

{{#items}}
- {{pet}}: {{service}}, desde el {{due}}
{{/items}}

Si ya lo hizo en otro lugar, responda a este correo. Si no, llame al {{clinic.phone}} para pedir una cita.`,
    },
    postcard: {
      body: `Cuidados atrasados para {{pets}}.

{{#items}}
{{pet}}: {{service}}, desde el {{due}}
{{/items}}

Llame al {{clinic.phone}} para pedir una cita.`,
    },
  },
};

const appointmentConfirm: Variants = {
  en: {
    sms: { body: `{{clinic.name}}: {{pet}} has a visit {{date}} at {{time}}. Reply C to confirm or R to reschedule.${OPT}` },
    email: {
      subject: 'Please confirm: {{pet}}, {{date}} at {{time}}',
      body: `Hello{{#client.firstName}} {{client.firstName}}{{/client.firstName}},

{{pet}} has a visit at {{clinic.name}} on {{date}} at {{time}}{{#doctor}} with {{doctor}}{{/doctor}}.

Reply C to confirm or R to reschedule, or call us at {{clinic.phone}}.`,
    },
  },
  fr: {
    sms: { body: `{{clinic.name}} : RDV pour {{pet}} le {{date}} à {{time}}. Répondez C pour confirmer ou R pour changer.${OPT}` },
    email: {
      subject: 'À confirmer : {{pet}}, le {{date}} à {{time}}',
      body: `Bonjour{{#client.firstName}} {{client.firstName}}{{/client.firstName}},

{{pet}} a rendez-vous à {{clinic.name}} le {{date}} à {{time}}{{#doctor}} avec {{doctor}}{{/doctor}}.

Répondez C pour confirmer ou R pour changer, ou appelez le {{clinic.phone}}.`,
    },
  },
  es: {
    sms: { body: `{{clinic.name}}: cita para {{pet}} el {{date}} a las {{time}}. Responda C para confirmar o R para cambiarla.${OPT}` },
    email: {
      subject: 'Confirme: {{pet}}, {{date}} a las {{time}}',
      body: `Hola{{#client.firstName}} {{client.firstName}}{{/client.firstName}}:

{{pet}} tiene cita en {{clinic.name}} el {{date}} a las {{time}}{{#doctor}} con {{doctor}}{{/doctor}}.

Responda C para confirmar o R para cambiarla, o llame al {{clinic.phone}}.`,
    },
  },
};

// HERE stays the arrival keyword in every language, like STOP: one word the inbox always knows.
const appointmentDayOf: Variants = {
  en: {
    sms: { body: `{{clinic.name}}: see you {{when}} at {{time}} with {{pet}}. Reply HERE when you arrive and we will call you in.${OPT}` },
    email: {
      subject: 'See you {{when}} at {{time}}: {{pet}}',
      body: `Hello{{#client.firstName}} {{client.firstName}}{{/client.firstName}},

We look forward to seeing {{pet}} {{when}} at {{time}} at {{clinic.name}}.

Call us at {{clinic.phone}} if you are running late.`,
    },
  },
  fr: {
    sms: { body: `{{clinic.name}} : rendez-vous {{when}} à {{time}} pour {{pet}}. Répondez HERE à votre arrivée.${OPT}` },
    email: {
      subject: 'Rendez-vous {{when}} à {{time}} : {{pet}}',
      body: `Bonjour{{#client.firstName}} {{client.firstName}}{{/client.firstName}},

Nous attendons {{pet}} {{when}} à {{time}} à {{clinic.name}}.

Appelez le {{clinic.phone}} en cas de retard.`,
    },
  },
  es: {
    sms: { body: `{{clinic.name}}: le esperamos {{when}} a las {{time}} con {{pet}}. Responda HERE al llegar.${OPT}` },
    email: {
      subject: 'Le esperamos {{when}} a las {{time}}: {{pet}}',
      body: `Hola{{#client.firstName}} {{client.firstName}}{{/client.firstName}}:

Le esperamos con {{pet}} {{when}} a las {{time}} en {{clinic.name}}.

Llame al {{clinic.phone}} si va a llegar tarde.`,
    },
  },
};

export const DEFAULT_TEMPLATES: TemplateDef[] = [
  { id: 'reminder.upcoming', kind: 'reminder', label: 'Reminder: coming due', variants: reminderUpcoming },
  { id: 'reminder.overdue', kind: 'reminder', label: 'Reminder: overdue', variants: reminderOverdue },
  { id: 'appointment.confirm', kind: 'appointment', label: 'Appointment: please confirm', variants: appointmentConfirm },
  { id: 'appointment.dayof', kind: 'appointment', label: 'Appointment: day-of reminder', variants: appointmentDayOf },
];

/** The opt-out sentence per language, added to the first text a number receives and periodically after. */
export const OPT_OUT_LINE: Record<Lang, string> = {
  en: 'Reply STOP to opt out.',
  fr: 'STOP pour vous désabonner.',
  es: 'STOP para darse de baja.',
};

/** Words for 'today'/'tomorrow' in day-of texts. */
export const RELATIVE_DAY: Record<Lang, { today: string; tomorrow: string }> = {
  en: { today: 'today', tomorrow: 'tomorrow' },
  fr: { today: "aujourd'hui", tomorrow: 'demain' },
  es: { today: 'hoy', tomorrow: 'mañana' },
};
