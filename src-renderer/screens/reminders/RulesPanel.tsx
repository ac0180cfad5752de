import { Button, Checkbox, Dropdown, Field, Input, MessageBar, MessageBarBody, Option, Spinner, Subtitle2, Switch, Text } from '@fluentui/react-components';
import { AddRegular, DeleteRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import type { PlanChannel, PlannerSettings, ReminderRule, ReminderRuleInput, ReminderServiceCategory, ReminderStep } from '../../../src-main/contract';
import { useApi, useQuery } from '../../api/context';
import { CallError } from '../../api/transport';
import { CHANNEL_LABEL } from './labels';

const CATEGORIES: ReminderServiceCategory[] = ['vaccines', 'exam', 'heartworm', 'dental', 'lab', 'parasite', 'other'];
const CHANNELS: PlanChannel[] = ['sms', 'email', 'postcard'];

function matchLabel(r: ReminderRuleInput): string {
  if (r.match.kind === 'default') return 'Every service without its own rule';
  return r.match.kind === 'category' ? `Category: ${r.match.value}` : `Code: ${r.match.value}`;
}

function useSaver() {
  const [state, setState] = useState<{ busy: boolean; error?: string; fields?: Record<string, string>; ok?: string }>({ busy: false });
  const run = async (fn: () => Promise<unknown>, ok: string) => {
    setState({ busy: true });
    try {
      await fn();
      setState({ busy: false, ok });
    } catch (e) {
      setState({ busy: false, error: e instanceof CallError ? e.message : String(e), fields: e instanceof CallError ? e.fields : undefined });
    }
  };
  return { state, run };
}

function StepRow({ step, templates, onChange, onRemove }: { step: ReminderStep; templates: string[]; onChange: (s: ReminderStep) => void; onRemove: () => void }) {
  const toggle = (ch: PlanChannel, on: boolean) => onChange({ ...step, channels: on ? [...step.channels, ch] : step.channels.filter((c) => c !== ch) });
  return (
    <>
      <Input aria-label="Step name" value={step.label} onChange={(_, d) => onChange({ ...step, label: d.value })} />
      <Input aria-label="Days from due date" type="number" value={String(step.offsetDays)} onChange={(_, d) => onChange({ ...step, offsetDays: Number(d.value) || 0 })} />
      <div className="pl-row" title="In order of preference">
        {CHANNELS.map((ch) => (
          <Checkbox key={ch} label={`${CHANNEL_LABEL[ch]}${step.channels.includes(ch) ? ` (${step.channels.indexOf(ch) + 1})` : ''}`} checked={step.channels.includes(ch)} onChange={(_, d) => toggle(ch, !!d.checked)} />
        ))}
      </div>
      <Dropdown aria-label="Send on" value={step.send === 'all' ? 'every channel' : 'first that reaches'} selectedOptions={[step.send]} onOptionSelect={(_, d) => onChange({ ...step, send: d.optionValue as ReminderStep['send'] })}>
        <Option value="first">first that reaches</Option>
        <Option value="all">every channel</Option>
      </Dropdown>
      <Dropdown aria-label="Template" value={step.template} selectedOptions={[step.template]} onOptionSelect={(_, d) => onChange({ ...step, template: d.optionValue ?? step.template })}>
        {templates.map((t) => (
          <Option key={t} value={t}>
            {t}
          </Option>
        ))}
      </Dropdown>
      <Button aria-label="Remove step" icon={<DeleteRegular />} appearance="subtle" onClick={onRemove} />
    </>
  );
}

function RuleEditor({ initial, templates, onSaved }: { initial: ReminderRuleInput; templates: string[]; onSaved: () => void }) {
  const api = useApi();
  const [rule, setRule] = useState<ReminderRuleInput>(initial);
  const saver = useSaver();
  const setStep = (i: number, s: ReminderStep) => setRule({ ...rule, steps: rule.steps.map((x, j) => (j === i ? s : x)) });
  const addStep = () =>
    setRule({ ...rule, steps: [...rule.steps, { id: `step${Date.now().toString(36).slice(-4)}`, label: 'New step', offsetDays: 0, channels: ['sms'], send: 'first', template: 'reminder.upcoming' }] });
  return (
    <div className="pl-rem-rule" data-testid={`rule-${rule.id ?? 'new'}`}>
      <div className="pl-row">
        <Field label="Rule name">
          <Input value={rule.name} onChange={(_, d) => setRule({ ...rule, name: d.value })} />
        </Field>
        {rule.match.kind === 'default' ? (
          <Text className="pl-muted">{matchLabel(rule)}</Text>
        ) : rule.match.kind === 'category' ? (
          <Field label="Category">
            <Dropdown value={rule.match.value} selectedOptions={[rule.match.value]} onOptionSelect={(_, d) => setRule({ ...rule, match: { kind: 'category', value: d.optionValue as ReminderServiceCategory } })}>
              {CATEGORIES.map((c) => (
                <Option key={c} value={c}>
                  {c}
                </Option>
              ))}
            </Dropdown>
          </Field>
        ) : (
          <Field label="PIMS code" validationMessage={saver.state.fields?.['match.value']}>
            <Input value={rule.match.value} onChange={(_, d) => setRule({ ...rule, match: { kind: 'code', value: d.value } })} />
          </Field>
        )}
        <Field label="Stop after (days overdue)">
          <Input type="number" value={String(rule.stopAfterDaysOverdue)} onChange={(_, d) => setRule({ ...rule, stopAfterDaysOverdue: Number(d.value) || 0 })} />
        </Field>
        <Switch label="Rule on" checked={rule.enabled} onChange={(_, d) => setRule({ ...rule, enabled: d.checked })} />
        <Switch label="Queue without approval" checked={rule.autoApprove} onChange={(_, d) => setRule({ ...rule, autoApprove: d.checked })} />
      </div>
      <div className="pl-rem-steps">
        <Text weight="semibold">Step</Text>
        <Text weight="semibold">Days (− before)</Text>
        <Text weight="semibold">Channels</Text>
        <Text weight="semibold">Send on</Text>
        <Text weight="semibold">Template</Text>
        <span />
        {rule.steps.map((s, i) => (
          <StepRow key={s.id} step={s} templates={templates} onChange={(x) => setStep(i, x)} onRemove={() => setRule({ ...rule, steps: rule.steps.filter((_, j) => j !== i) })} />
        ))}
      </div>
      <div className="pl-row">
        <Button icon={<AddRegular />} onClick={addStep}>
          Add step
        </Button>
        <Button appearance="primary" disabled={saver.state.busy} onClick={() => saver.run(async () => (await api.call('reminders.rules.save', rule), onSaved()), 'Rule saved.')}>
          Save rule
        </Button>
        {rule.id && rule.match.kind !== 'default' ? (
          <Button appearance="subtle" icon={<DeleteRegular />} onClick={() => saver.run(async () => (await api.call('reminders.rules.delete', { id: rule.id! }), onSaved()), 'Rule deleted.')}>
            Delete rule
          </Button>
        ) : null}
        {saver.state.busy ? <Spinner size="tiny" /> : null}
      </div>
      {saver.state.error ? (
        <MessageBar intent="error">
          <MessageBarBody>
            {saver.state.error}
            {saver.state.fields ? ` ${Object.values(saver.state.fields).join('; ')}` : ''}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {saver.state.ok ? <Text className="pl-muted">{saver.state.ok}</Text> : null}
    </div>
  );
}

function SettingsEditor({ initial }: { initial: PlannerSettings }) {
  const api = useApi();
  const [s, setS] = useState<PlannerSettings>(initial);
  const saver = useSaver();
  const numField = (label: string, value: number, set: (n: number) => void) => (
    <Field label={label}>
      <Input type="number" value={String(value)} onChange={(_, d) => set(Number(d.value) || 0)} />
    </Field>
  );
  const a = s.appointments;
  return (
    <div className="pl-rem-rule" data-testid="planner-settings">
      <div className="pl-grid2">
        {numField('At most one health reminder per (days)', s.capDays, (n) => setS({ ...s, capDays: n }))}
        {numField('A booked visit covers services due up to (days after it)', s.coverDays, (n) => setS({ ...s, coverDays: n }))}
        {numField('Repeat "Reply STOP to opt out" every (days)', s.optOutEveryDays, (n) => setS({ ...s, optOutEveryDays: n }))}
        {numField('Ask to confirm (days before the visit)', a.confirmDaysBefore, (n) => setS({ ...s, appointments: { ...a, confirmDaysBefore: n } }))}
        {numField('Day-of reminder (minutes before)', a.dayOfLeadMinutes, (n) => setS({ ...s, appointments: { ...a, dayOfLeadMinutes: n } }))}
      </div>
      <div className="pl-row">
        <Switch label="Confirmation requests" checked={a.confirmEnabled} onChange={(_, d) => setS({ ...s, appointments: { ...a, confirmEnabled: d.checked } })} />
        <Switch label="Day-of reminders (reply HERE)" checked={a.dayOfEnabled} onChange={(_, d) => setS({ ...s, appointments: { ...a, dayOfEnabled: d.checked } })} />
        <Checkbox
          label="Ask on Friday instead of the weekend (Monday visits)"
          checked={a.confirmSkipDays.length > 0}
          onChange={(_, d) => setS({ ...s, appointments: { ...a, confirmSkipDays: d.checked ? ['sat', 'sun'] : [] } })}
        />
        <Button appearance="primary" disabled={saver.state.busy} onClick={() => saver.run(() => api.call('reminders.settings.save', s), 'Settings saved.')}>
          Save settings
        </Button>
      </div>
      {saver.state.error ? <div className="pl-warn">{saver.state.error}</div> : null}
      {saver.state.ok ? <Text className="pl-muted">{saver.state.ok}</Text> : null}
    </div>
  );
}

/** Reminder rules per category or code, their steps and channels, and the planner's settings. */
export function RulesPanel() {
  const rules = useQuery('reminders.rules.list', []);
  const settings = useQuery('reminders.settings.get', []);
  const templates = useQuery('templates.list', []);
  const [adding, setAdding] = useState<ReminderRuleInput | null>(null);
  const templateIds = (templates.data ?? []).filter((t) => t.kind === 'reminder').map((t) => t.id);
  const base: ReminderRule | undefined = rules.data?.find((r) => r.match.kind === 'default');
  if (!rules.data || !settings.data) return <Spinner label="Loading rules…" />;
  const reload = () => {
    setAdding(null);
    rules.reload();
  };
  return (
    <div className="pl-rem">
      <Subtitle2>Rules</Subtitle2>
      <Text className="pl-muted">A service follows its code's rule, else its category's, else the default. Days are relative to the due date: −28 is four weeks before, 14 two weeks overdue.</Text>
      {rules.data.map((r) => (
        <RuleEditor key={`${r.id}-${JSON.stringify(r)}`} initial={r} templates={templateIds} onSaved={reload} />
      ))}
      {adding ? (
        <RuleEditor initial={adding} templates={templateIds} onSaved={reload} />
      ) : (
        <div className="pl-row">
          <Button icon={<AddRegular />} onClick={() => base && setAdding({ ...base, id: undefined, name: 'Dental', match: { kind: 'category', value: 'dental' } })}>
            Add a rule for a category
          </Button>
          <Button icon={<AddRegular />} onClick={() => base && setAdding({ ...base, id: undefined, name: 'Rabies 3 year', match: { kind: 'code', value: 'RAB3' } })}>
            Add a rule for a code
          </Button>
        </div>
      )}
      <Subtitle2>Planner and appointment messages</Subtitle2>
      <SettingsEditor initial={settings.data} />
    </div>
  );
}
