/** Read API over the imported PIMS data, for the Clients screen and for lookups from other screens. */

export interface ClientListItem {
  id: number;
  source: string;
  pimsId: string;
  name: string;
  city: string | null;
  active: boolean;
  gone: boolean;
  /** Best number to show: the SMS-capable one, else the first valid one (E.164). */
  phone: string | null;
  email: string | null;
  pets: string[];
  smsCapable: boolean;
  noSms: boolean;
  noEmail: boolean;
}

export interface ContactPointView {
  id: number;
  kind: 'phone' | 'email';
  position: number;
  raw: string;
  /** E.164 for phones, trimmed address for email; null when unusable. */
  value: string | null;
  /** National format for phones ('(206) 555-0113'). */
  display: string;
  extension: string | null;
  phoneType: string | null;
  valid: boolean;
  smsCapable: boolean;
  /** Other households with the same number. */
  sharedWith: { clientId: number; name: string }[];
  /** The owner opted out of this channel at this address (STOP, unsubscribe, staff). */
  optedOut: boolean;
  /** A standing marketing opt-in at this address (marketing campaigns need it); null when none was ever recorded. */
  marketing: { optedIn: boolean; at: string; source: string } | null;
}

export type ReminderState = 'satisfied' | 'overdue' | 'due-soon' | 'upcoming' | 'suspended' | 'not-sent';

export interface ReminderView {
  id: number;
  code: string;
  description: string | null;
  category: string | null;
  dateGiven: string | null;
  dueDate: string;
  satisfiedOn: string | null;
  suspended: boolean;
  gone: boolean;
  /** As of the clinic's today; 'not-sent' for a deceased or inactive pet's open reminder. */
  state: ReminderState;
}

export interface PatientView {
  id: number;
  pimsId: string;
  name: string | null;
  species: string | null;
  breed: string | null;
  sex: string | null;
  neutered: boolean | null;
  dob: string | null;
  dod: string | null;
  deceased: boolean;
  active: boolean;
  suspendReminders: boolean;
  gone: boolean;
  reminders: ReminderView[];
}

export interface AppointmentView {
  id: number;
  pimsId: string;
  patientId: number | null;
  patientName: string | null;
  startLocal: string;
  startUtc: string;
  durationMin: number | null;
  reason: string | null;
  category: string | null;
  doctor: string | null;
  status: string;
  confirmState: string;
}

export interface ClientDetail {
  id: number;
  source: string;
  pimsId: string;
  name: string;
  salutation: string | null;
  firstName: string | null;
  lastName: string | null;
  spouseName: string | null;
  address: string[];
  clientType: string | null;
  language: string;
  active: boolean;
  gone: boolean;
  suspendReminders: boolean;
  noSms: boolean;
  noEmail: boolean;
  contactPoints: ContactPointView[];
  patients: PatientView[];
  appointments: AppointmentView[];
  /** Clinic-local date the reminder states are computed for. */
  today: string;
}

export interface ClientsApi {
  /** Name, phone (any format, digits matched), email or pet name. */
  'clients.search': (arg: { query?: string; offset?: number; limit?: number; includeInactive?: boolean }) => { total: number; items: ClientListItem[] };
  'clients.get': (arg: { id: number }) => ClientDetail;
  /**
   * Records that the owner agreed to (or withdrew from) marketing at one of the household's
   * numbers or email addresses, as staff heard it (at the desk, on the phone, on a signed form).
   */
  'clients.setMarketingConsent': (arg: { clientId: number; contactPointId: number; optIn: boolean; by?: string | null }) => ClientDetail;
}

export type ClientsEvents = Record<never, never>;
