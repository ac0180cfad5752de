/**
 * Numbers, money and times as the clinic reads them. A desk PC's clock zone is often not the
 * clinic's (a manager working from home, a PC set to UTC), and a receptionist must see the times
 * the clinic lives by; so every date and time goes through here, in the clinic's zone, with the
 * zone's name added when it differs from this computer's.
 */
export interface ClinicFormat {
  timeZone: string;
  locale: string;
  /** 'PST', 'EDT'… for the clinic's zone now. */
  zoneName: string;
  /** This computer's zone is not the clinic's: times carry the zone's name. */
  labelled: boolean;
  num(n: number): string;
  money(n: number): string;
  /** 'Dec 3, 2:35 PM' (+ ' PST' when labelled). */
  dateTime(iso: string | null | undefined): string;
  /** 'Thu, Dec 3, 2026, 2:35 PM' (+ zone when labelled). */
  longDateTime(iso: string | null | undefined): string;
  /** '2:35 PM' (+ zone when labelled). */
  time(iso: string | null | undefined): string;
  /** Time alone on the clinic's today, date and time otherwise. */
  when(iso: string | null | undefined): string;
  /** 'YYYY-MM-DD' of the instant in the clinic's zone. */
  day(iso: string | Date): string;
}

const browserZone = () => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return 'UTC';
  }
};

function validZone(tz: string | null | undefined): string | null {
  if (!tz) return null;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz;
  } catch {
    return null;
  }
}

export function clinicFormat(timeZone?: string | null, country?: string | null): ClinicFormat {
  const here = browserZone();
  const tz = validZone(timeZone) ?? here;
  const locale = country === 'CA' ? 'en-CA' : 'en-US';
  const labelled = tz !== here;
  const nf = new Intl.NumberFormat(locale);
  // Twilio bills in US dollars whatever the clinic's country.
  const mf = new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD', currencyDisplay: 'narrowSymbol', minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const zone = labelled ? ({ timeZoneName: 'short' } as const) : {};
  const dtf = (o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, { timeZone: tz, ...o });
  const fDateTime = dtf({ month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', ...zone });
  const fLong = dtf({ weekday: 'short', month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit', ...zone });
  const fTime = dtf({ hour: 'numeric', minute: '2-digit', ...zone });
  const fDay = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
  const zoneName = dtf({ timeZoneName: 'short' }).formatToParts(new Date()).find((p) => p.type === 'timeZoneName')?.value ?? tz;
  const parse = (iso: string | null | undefined) => {
    if (!iso) return null;
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? null : d;
  };
  const day = (v: string | Date) => fDay.format(typeof v === 'string' ? new Date(v) : v);
  return {
    timeZone: tz,
    locale,
    zoneName,
    labelled,
    num: (n) => nf.format(n),
    money: (n) => mf.format(n),
    dateTime: (iso) => {
      const d = parse(iso);
      return d ? fDateTime.format(d) : '';
    },
    longDateTime: (iso) => {
      const d = parse(iso);
      return d ? fLong.format(d) : '';
    },
    time: (iso) => {
      const d = parse(iso);
      return d ? fTime.format(d) : '';
    },
    when: (iso) => {
      const d = parse(iso);
      if (!d) return '';
      return day(d) === day(new Date()) ? fTime.format(d) : fDateTime.format(d);
    },
    day,
  };
}
