import { Button, Card, CardHeader, Checkbox, Combobox, Field, Input, Option, Subtitle2, Text } from '@fluentui/react-components';
import { useMemo, useState } from 'react';
import { WEEKDAYS, type ClinicProfile } from '../../../src-main/contract';
import { useApi } from '../../api/context';
import { Banner, TextField, useForm } from '../../ui/forms';

const DAY_NAMES = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' } as const;

/** `onSaved` lets the first-run setup move on after a successful save. */
export function ClinicForm({ initial, onSaved }: { initial: ClinicProfile; onSaved?: () => void }) {
  const api = useApi();
  const form = useForm<ClinicProfile>(initial);
  const zones = useMemo(() => (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('timeZone'), []);
  const [tzQuery, setTzQuery] = useState(initial.timeZone);
  const v = form.value;
  const filtered = zoneOptions(zones, tzQuery === v.timeZone ? '' : tzQuery);
  return (
    <Card>
      <CardHeader header={<Subtitle2>Clinic profile</Subtitle2>} description={<Text className="pl-muted">Shown in every message; the time zone drives every schedule.</Text>} />
      <div className="pl-grid2">
        <TextField form={form} path="name" label="Clinic name" required />
        <TextField form={form} path="phone" label="Booking phone" required placeholder="(206) 555-0100" />
        <TextField form={form} path="email" label="Clinic email" required />
        <TextField form={form} path="website" label="Website" />
        <TextField form={form} path="address.line1" label="Street address" required />
        <TextField form={form} path="address.line2" label="Suite / unit" />
        <TextField form={form} path="address.city" label="City" required />
        <TextField form={form} path="address.region" label="State / province" required />
        <TextField form={form} path="address.postalCode" label="ZIP / postal code" required />
        <Field label="Country">
          <Combobox value={v.address.country === 'CA' ? 'Canada' : 'United States'} selectedOptions={[v.address.country]} onOptionSelect={(_, d) => form.set('address.country', d.optionValue)}>
            <Option value="US">United States</Option>
            <Option value="CA">Canada</Option>
          </Combobox>
        </Field>
        <Field label="Time zone" required validationMessage={form.errors.timeZone} validationState={form.errors.timeZone ? 'error' : 'none'}>
          <Combobox
            data-testid="field-timeZone"
            freeform
            value={tzQuery}
            selectedOptions={[v.timeZone]}
            onChange={(e) => setTzQuery(e.target.value)}
            onOptionSelect={(_, d) => {
              // Typing text that no option starts with makes the Combobox clear its selection (no
              // optionValue); taking that as a choice would wipe what is being typed.
              if (!d.optionValue) return;
              form.set('timeZone', d.optionValue);
              setTzQuery(d.optionValue);
            }}
            onKeyDown={(e) => {
              // Enter with no option highlighted (typed "Tor", no arrow key) takes the first match.
              if (e.key !== 'Enter' || e.currentTarget.getAttribute('aria-activedescendant')) return;
              const first = filtered[0];
              if (first && tzQuery !== v.timeZone) {
                form.set('timeZone', first);
                setTzQuery(first);
              }
            }}
            onBlur={() => form.set('timeZone', resolveZone(zones, tzQuery))}
          >
            {filtered.map((z) => (
              <Option key={z} value={z}>{z}</Option>
            ))}
            {!filtered.length ? <Option key="" value="" disabled text={`No time zone matches "${tzQuery}"`}>{`No time zone matches "${tzQuery}"`}</Option> : null}
          </Combobox>
        </Field>
      </div>
      <Subtitle2>Opening hours</Subtitle2>
      <div className="pl-hours">
        {WEEKDAYS.map((d) => {
          const h = v.openingHours[d];
          return (
            <div key={d} style={{ display: 'contents' }}>
              <Text>{DAY_NAMES[d]}</Text>
              <Checkbox label="Open" checked={!!h} onChange={(_, c) => form.set(`openingHours.${d}`, c.checked ? { open: '08:00', close: '18:00' } : null)} />
              <Input aria-label={`${DAY_NAMES[d]} opens`} disabled={!h} value={h?.open ?? ''} onChange={(_, x) => form.set(`openingHours.${d}.open`, x.value)} />
              <Input aria-label={`${DAY_NAMES[d]} closes`} disabled={!h} value={h?.close ?? ''} onChange={(_, x) => form.set(`openingHours.${d}.close`, x.value)} />
            </div>
          );
        })}
      </div>
      {Object.entries(form.errors).filter(([k]) => k.startsWith('openingHours')).map(([k, m]) => (
        <Text key={k} style={{ color: '#a4262c' }}>{DAY_NAMES[k.split('.')[1] as keyof typeof DAY_NAMES]}: {m}</Text>
      ))}
      <Subtitle2>Send window (quiet hours)</Subtitle2>
      <Text className="pl-muted">Texts and emails go out only inside this window, clinic time. The law allows 08:00–21:00 at most; messages due outside it wait.</Text>
      <div className="pl-row">
        <TextField form={form} path="quietHours.start" label="From" />
        <TextField form={form} path="quietHours.end" label="Until" />
      </div>
      <TextField form={form} path="helpText" label="Reply to HELP (optional)" hint="Empty: clinic name, phone, 'Reply STOP to opt out. Msg & data rates may apply.'" />
      <Banner banner={form.banner} />
      <div className="pl-row">
        <Button appearance="primary" disabled={form.busy} data-testid="save-clinic" onClick={() => form.run(async () => { await api.call('settings.saveClinic', form.value); onSaved?.(); return 'Clinic profile saved.'; })}>
          Save clinic profile
        </Button>
      </div>
    </Card>
  );
}

/** US and Canadian zones, west to east: what almost every clinic picks, listed before the other ~400. */
const NORTH_AMERICA = [
  'Pacific/Honolulu', 'America/Anchorage', 'America/Los_Angeles', 'America/Vancouver', 'America/Phoenix', 'America/Denver', 'America/Edmonton',
  'America/Chicago', 'America/Winnipeg', 'America/Regina', 'America/New_York', 'America/Toronto', 'America/Halifax', 'America/St_Johns',
];

/** What was typed, as the zone's exact name when it names one in another case ("america/toronto"). */
function resolveZone(zones: string[], typed: string): string {
  const t = typed.trim();
  return zones.find((z) => z.toLowerCase() === t.toLowerCase()) ?? t;
}

/** The options to show: the North American zones first, then every zone whose name contains what was typed. */
function zoneOptions(zones: string[], query: string): string[] {
  const q = query.trim().toLowerCase().replace(/\s+/g, '_');
  const all = [...NORTH_AMERICA.filter((z) => zones.includes(z)), ...zones.filter((z) => !NORTH_AMERICA.includes(z))];
  return (q ? all.filter((z) => z.toLowerCase().includes(q)) : all).slice(0, 80);
}
