import { Button, Field, Input, Select, ToggleButton } from '@fluentui/react-components';
import { ArrowClockwiseRegular, ArrowDownloadRegular } from '@fluentui/react-icons';
import type { ReportChannel, ReportKind, ReportQuery } from '../../../src-main/contract';
import { PRESETS, presetRange, type PresetId } from './dates';

const CHANNELS: { value: ReportChannel | ''; label: string }[] = [
  { value: '', label: 'All channels' },
  { value: 'sms', label: 'Text (SMS)' },
  { value: 'email', label: 'Email' },
  { value: 'postcard', label: 'Postcard' },
];

const KINDS: { value: ReportKind | ''; label: string }[] = [
  { value: '', label: 'All messages' },
  { value: 'reminder', label: 'Health reminders' },
  { value: 'appointment', label: 'Appointment messages' },
  { value: 'alert', label: 'Alerts' },
  { value: 'marketing', label: 'Marketing' },
  { value: 'reply', label: 'Staff replies' },
];

export function ReportFilters(props: {
  query: ReportQuery;
  today: string;
  preset: PresetId | null;
  onChange(q: ReportQuery, preset: PresetId | null): void;
  onRefresh(): void;
  onExport(): void;
  exporting: boolean;
  errors: Record<string, string>;
}) {
  const { query: q, onChange } = props;
  return (
    <div className="pl-row" style={{ alignItems: 'flex-end', gap: 12 }} role="search" aria-label="Report filters">
      <div className="pl-row" role="group" aria-label="Date presets">
        {PRESETS.map((p) => (
          <ToggleButton
            key={p.id}
            size="small"
            checked={props.preset === p.id}
            data-testid={`preset-${p.id}`}
            onClick={() => onChange({ ...q, ...presetRange(p.id, props.today) }, p.id)}
          >
            {p.label}
          </ToggleButton>
        ))}
      </div>
      <Field label="From" size="small" validationMessage={props.errors.from} validationState={props.errors.from ? 'error' : 'none'}>
        <Input type="date" size="small" value={q.from} max={q.to} data-testid="report-from" onChange={(_, d) => d.value && onChange({ ...q, from: d.value }, null)} />
      </Field>
      <Field label="To" size="small" validationMessage={props.errors.to} validationState={props.errors.to ? 'error' : 'none'}>
        <Input type="date" size="small" value={q.to} min={q.from} data-testid="report-to" onChange={(_, d) => d.value && onChange({ ...q, to: d.value }, null)} />
      </Field>
      <Field label="Channel" size="small">
        <Select size="small" value={q.channel ?? ''} data-testid="report-channel" onChange={(_, d) => onChange({ ...q, channel: (d.value || null) as ReportChannel | null }, props.preset)}>
          {CHANNELS.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Messages" size="small">
        <Select size="small" value={q.kind ?? ''} data-testid="report-kind" onChange={(_, d) => onChange({ ...q, kind: (d.value || null) as ReportKind | null }, props.preset)}>
          {KINDS.map((k) => (
            <option key={k.value} value={k.value}>
              {k.label}
            </option>
          ))}
        </Select>
      </Field>
      <Button size="small" icon={<ArrowClockwiseRegular />} onClick={props.onRefresh} data-testid="report-refresh">
        Refresh
      </Button>
      <Button size="small" appearance="primary" icon={<ArrowDownloadRegular />} onClick={props.onExport} disabled={props.exporting} data-testid="report-export">
        Export CSV
      </Button>
    </div>
  );
}
