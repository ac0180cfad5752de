import { Button, Checkbox, Field, Input, Select, Text } from '@fluentui/react-components';
import type { AudienceFilter, CampaignFilterOptions, CampaignLang } from '../../../src-main/contract';
import { LANG_LABEL, addDays } from './labels';

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

function Row({ on, label, testId, onToggle, children }: { on: boolean; label: string; testId: string; onToggle: (on: boolean) => void; children?: React.ReactNode }) {
  return (
    <div className="pl-row" style={{ alignItems: 'flex-end', minHeight: 40 }}>
      <Checkbox checked={on} label={label} data-testid={`filter-${testId}`} onChange={(_, d) => onToggle(!!d.checked)} style={{ minWidth: 250 }} />
      {on && children}
    </div>
  );
}

function DateInput({ label, value, onChange, testId }: { label: string; value: string | null | undefined; onChange: (v: string) => void; testId: string }) {
  return (
    <Field label={label} size="small">
      <Input type="date" size="small" value={value ?? ''} data-testid={testId} onChange={(_, d) => onChange(d.value)} />
    </Field>
  );
}

/**
 * Filters that combine (every ticked one must hold). Starts from all active clients; inactive
 * clients, households with only deceased pets and unreachable owners are counted as suppressed.
 */
export function AudienceBuilder({ value, onChange, options }: { value: AudienceFilter; onChange: (a: AudienceFilter) => void; options: CampaignFilterOptions }) {
  const set = (patch: Partial<AudienceFilter>) => onChange({ ...value, ...patch });
  const today = options.today;
  const tomorrow = addDays(today, 1);
  return (
    <div style={{ display: 'grid', gap: 4 }}>
      <Text className="pl-muted">All active clients, narrowed by every filter you tick.</Text>
      <Row on={!!value.appointment} label="Has an appointment between" testId="appointment" onToggle={(on) => set({ appointment: on ? { from: tomorrow, to: tomorrow } : null })}>
        <DateInput label="From" value={value.appointment?.from} testId="appointment-from" onChange={(v) => set({ appointment: { from: v, to: value.appointment?.to ?? v } })} />
        <DateInput label="To" value={value.appointment?.to} testId="appointment-to" onChange={(v) => set({ appointment: { from: value.appointment?.from ?? v, to: v } })} />
        <Button size="small" onClick={() => set({ appointment: { from: today, to: today } })}>Today</Button>
        <Button size="small" data-testid="appointment-tomorrow" onClick={() => set({ appointment: { from: tomorrow, to: tomorrow } })}>Tomorrow</Button>
      </Row>
      <Row on={!!value.species?.length} label="Has a living pet of species" testId="species" onToggle={(on) => set({ species: on ? [options.species[0] ?? 'Dog'] : [] })}>
        {options.species.map((s) => (
          <Checkbox
            key={s}
            label={s}
            checked={value.species?.includes(s) ?? false}
            onChange={(_, d) => set({ species: d.checked ? [...(value.species ?? []), s] : (value.species ?? []).filter((x) => x !== s) })}
          />
        ))}
      </Row>
      <Row
        on={!!value.serviceDue}
        label="Has a service due or overdue between"
        testId="service"
        onToggle={(on) => set({ serviceDue: on ? { from: today, to: addDays(today, 30) } : null })}
      >
        <DateInput label="From" value={value.serviceDue?.from} testId="service-from" onChange={(v) => set({ serviceDue: { ...value.serviceDue!, from: v } })} />
        <DateInput label="To" value={value.serviceDue?.to} testId="service-to" onChange={(v) => set({ serviceDue: { ...value.serviceDue!, to: v } })} />
        <Field label="Services (codes, optional)" size="small">
          <Input
            size="small"
            placeholder={options.serviceCodes.slice(0, 3).map((c) => c.code).join(', ') || 'RAB1, DHPP'}
            value={(value.serviceDue?.codes ?? []).join(', ')}
            onChange={(_, d) => set({ serviceDue: { ...value.serviceDue!, codes: list(d.value) } })}
          />
        </Field>
        <Button size="small" onClick={() => set({ serviceDue: { ...value.serviceDue!, from: '1990-01-01', to: addDays(today, -1) } })}>Overdue</Button>
      </Row>
      <Row on={!!value.lastVisit} label="Last visit (from history)" testId="visit" onToggle={(on) => set({ lastVisit: on ? { before: addDays(today, -365), after: null } : null })}>
        <DateInput label="Before" value={value.lastVisit?.before} testId="visit-before" onChange={(v) => set({ lastVisit: { ...value.lastVisit, before: v || null } })} />
        <DateInput label="After" value={value.lastVisit?.after} testId="visit-after" onChange={(v) => set({ lastVisit: { ...value.lastVisit, after: v || null } })} />
      </Row>
      <Row on={value.cities !== undefined} label="Lives in city" testId="city" onToggle={(on) => set({ cities: on ? [] : undefined })}>
        <Input list="pl-cities" size="small" placeholder="Seattle, Shoreline" value={(value.cities ?? []).join(', ')} onChange={(_, d) => set({ cities: list(d.value) })} />
        <datalist id="pl-cities">
          {options.cities.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
      </Row>
      <Row on={value.postalPrefixes !== undefined} label="Postal / ZIP code starts with" testId="postal" onToggle={(on) => set({ postalPrefixes: on ? [] : undefined })}>
        <Input size="small" placeholder="981, V6K" value={(value.postalPrefixes ?? []).join(', ')} onChange={(_, d) => set({ postalPrefixes: list(d.value) })} />
      </Row>
      <Row on={!!value.languages} label="Speaks" testId="language" onToggle={(on) => set({ languages: on ? ['en'] : undefined })}>
        {(['en', 'fr', 'es'] as CampaignLang[]).map((l) => (
          <Checkbox
            key={l}
            label={LANG_LABEL[l]}
            checked={value.languages?.includes(l) ?? false}
            onChange={(_, d) => set({ languages: d.checked ? [...(value.languages ?? []), l] : (value.languages ?? []).filter((x) => x !== l) })}
          />
        ))}
      </Row>
      <div className="pl-row">
        <Field label="Textable number" size="small">
          <Select size="small" value={value.hasSms === true ? 'yes' : value.hasSms === false ? 'no' : 'any'} onChange={(_, d) => set({ hasSms: d.value === 'any' ? null : d.value === 'yes' })}>
            <option value="any">Any</option>
            <option value="yes">Has one (and accepts texts)</option>
            <option value="no">Has none</option>
          </Select>
        </Field>
        <Field label="Email address" size="small">
          <Select size="small" value={value.hasEmail === true ? 'yes' : value.hasEmail === false ? 'no' : 'any'} onChange={(_, d) => set({ hasEmail: d.value === 'any' ? null : d.value === 'yes' })}>
            <option value="any">Any</option>
            <option value="yes">Has one (and accepts email)</option>
            <option value="no">Has none</option>
          </Select>
        </Field>
      </div>
    </div>
  );
}
