import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { useQuery } from '../api/context';
import { clinicFormat, type ClinicFormat } from './clinic-format';

export { clinicFormat, type ClinicFormat } from './clinic-format';

let current = clinicFormat();
/** For plain helpers outside components; the provider keeps it in step with the clinic profile. */
export const currentFormat = (): ClinicFormat => current;

const FormatContext = createContext<ClinicFormat>(current);

/**
 * Loads the clinic profile, and again whenever settings change. The screens wait for the first
 * load, so none shows a time in this computer's zone before the clinic's is known.
 */
export function ClinicFormatProvider({ children }: { children: ReactNode }) {
  const { data, error } = useQuery('settings.get', [], { refreshOn: ['settings.changed'] });
  const tz = data?.clinic?.timeZone;
  const country = data?.clinic?.address.country;
  const value = useMemo(() => (current = clinicFormat(tz, country)), [tz, country]);
  if (data === undefined && !error) return null;
  return <FormatContext.Provider value={value}>{children}</FormatContext.Provider>;
}

export function useClinicFormat(): ClinicFormat {
  return useContext(FormatContext);
}
