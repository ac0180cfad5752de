import { Button, MessageBar, MessageBarBody, Spinner, Subtitle2, Text } from '@fluentui/react-components';
import { CheckmarkRegular, PlayRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import type { PlanChannel, PlanSummary } from '../../../src-main/contract';
import { useApi } from '../../api/context';
import { CallError } from '../../api/transport';
import { useClinicFormat } from '../../ui/format';
import { label, lowerLabel } from '../../ui/labels';
import { ApproveDialog, type ApproveTarget } from './ApproveDialog';
import { CHANNEL_LABEL } from './labels';

/** Today's plan: messages by step and channel, what was held back and why, approve and queue. */
export function PlanPanel({ plan, reload, onPreview }: { plan: PlanSummary | null; reload: () => void; onPreview: (step: string, channel: PlanChannel) => void }) {
  const api = useApi();
  const [busy, setBusy] = useState<string | null>(null);
  const [banner, setBanner] = useState<{ intent: 'success' | 'error'; text: string } | null>(null);
  const [confirming, setConfirming] = useState<ApproveTarget | null>(null);
  const f = useClinicFormat();
  const { num, money } = f;

  const act = async (what: string, fn: () => Promise<string>) => {
    setBusy(what);
    setBanner(null);
    try {
      setBanner({ intent: 'success', text: await fn() });
      reload();
    } catch (e) {
      setBanner({ intent: 'error', text: e instanceof CallError ? e.message : String(e) });
    } finally {
      setBusy(null);
    }
  };
  const runPlan = () =>
    act('run', async () => {
      const s = await api.call('reminders.plan.run', {});
      return `Planned ${num(s.reminders.messages)} reminder messages for ${num(s.reminders.households)} households and ${num(s.appointments.confirmations + s.appointments.dayOf)} appointment messages.`;
    });
  const approve = ({ step, channel }: ApproveTarget) =>
    act(`approve:${step ?? ''}:${channel ?? ''}`, async () => {
      const r = await api.call('reminders.plan.approve', { runId: plan!.runId!, step, channel });
      return `${num(r.queued)} messages queued${r.duplicates ? ` (${num(r.duplicates)} were already in the outbox)` : ''}.`;
    });

  const r = plan?.reminders;
  const suppressed = Object.entries(r?.suppressed ?? {}).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0));
  const withdrawn = [...Object.entries(r?.withdrawn ?? {}), ...Object.entries(plan?.appointments.withdrawn ?? {})];
  return (
    <div className="pl-rem">
      <div className="pl-row">
        <Button appearance="primary" icon={<PlayRegular />} onClick={runPlan} disabled={!!busy} data-testid="plan-run">
          Run the plan now
        </Button>
        {plan?.runId && r && r.proposed > 0 ? (
          <Button icon={<CheckmarkRegular />} onClick={() => setConfirming({})} disabled={!!busy} data-testid="plan-approve-all">
            Approve and queue all {num(r.proposed)}
          </Button>
        ) : null}
        {busy ? <Spinner size="tiny" label={busy === 'run' ? 'Planning…' : 'Queueing…'} /> : null}
      </div>
      {plan ? (
        <ApproveDialog
          plan={plan}
          target={confirming}
          onCancel={() => setConfirming(null)}
          onConfirm={(t) => {
            setConfirming(null);
            void approve(t);
          }}
        />
      ) : null}
      {banner ? (
        <MessageBar intent={banner.intent} data-testid="plan-banner">
          <MessageBarBody>{banner.text}</MessageBarBody>
        </MessageBar>
      ) : null}
      {!plan || !r ? (
        <Text className="pl-muted">No plan yet. The planner runs every day at the plan time (Settings) and after each import; or run it now.</Text>
      ) : (
        <>
          <Text className="pl-muted" data-testid="plan-made">
            Plan for {plan.asOf}, made {f.dateTime(plan.startedAt)} ({label(plan.trigger)}) in {num(plan.durationMs)} ms.
          </Text>
          <div className="pl-rem-kpis" data-testid="plan-kpis">
            <div className="pl-rem-kpi">
              <b>{num(r.households)}</b>
              <span className="pl-muted">households to remind</span>
            </div>
            <div className="pl-rem-kpi">
              <b>{num(r.messages)}</b>
              <span className="pl-muted">messages ({num(r.queued)} queued, {num(r.proposed)} waiting for approval)</span>
            </div>
            <div className="pl-rem-kpi">
              <b>{num(r.alreadyPlannedHouseholds)}</b>
              <span className="pl-muted">households already messaged for this step</span>
            </div>
            <div className="pl-rem-kpi">
              <b>{num(plan.appointments.confirmations + plan.appointments.dayOf)}</b>
              <span className="pl-muted">
                appointment messages ({num(plan.appointments.confirmations)} confirmations, {num(plan.appointments.dayOf)} day-of)
              </span>
            </div>
          </div>
          <Subtitle2>By step and channel</Subtitle2>
          <table className="pl-table" data-testid="plan-steps">
            <thead>
              <tr>
                <th>Step</th>
                <th>Channel</th>
                <th>Messages</th>
                <th>Households</th>
                <th>Segments</th>
                <th>Est. cost</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {r.byStep.map((b) => (
                <tr key={`${b.step}-${b.channel}`}>
                  <td>{b.label}</td>
                  <td>{CHANNEL_LABEL[b.channel]}</td>
                  <td>{num(b.messages)}</td>
                  <td>{num(b.households)}</td>
                  <td>{b.channel === 'sms' ? num(b.segments) : ''}</td>
                  <td>{b.channel === 'sms' ? money(b.estCost) : ''}</td>
                  <td className="pl-row">
                    <Button size="small" onClick={() => onPreview(b.step, b.channel)}>
                      Preview
                    </Button>
                    {plan.runId && r.proposed > 0 ? (
                      <Button size="small" onClick={() => setConfirming({ step: b.step, channel: b.channel })} disabled={!!busy}>
                        Approve and queue
                      </Button>
                    ) : null}
                  </td>
                </tr>
              ))}
              {!r.byStep.length ? (
                <tr>
                  <td colSpan={7} className="pl-muted">
                    Nothing new to send today.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
          <Subtitle2>Held back, by reason</Subtitle2>
          <div className="pl-row" data-testid="plan-suppressed">
            {suppressed.length ? suppressed.map(([k, v]) => <Text key={k}>{label(k)}: {num(v ?? 0)}</Text>) : <Text className="pl-muted">Nothing held back.</Text>}
          </div>
          {withdrawn.length ? (
            <>
              <Subtitle2>Taken back from the outbox</Subtitle2>
              <div className="pl-row">
                {withdrawn.map(([k, v]) => (
                  <Text key={k}>
                    {label(k)}: {num(v)}
                  </Text>
                ))}
              </div>
            </>
          ) : null}
          <Subtitle2>Households due in the next 30 days</Subtitle2>
          <Text>
            {num(plan.toRemind.value)} households have a service due in the next 30 days and no appointment booked (reachable by text {num(plan.toRemind.breakdown.reachableBySms)}, by
            email only {num(plan.toRemind.breakdown.reachableByEmailOnly)}, not reachable {num(plan.toRemind.breakdown.notContactable)}). This plan reaches {num(plan.dueNext30.planned)}{' '}
            households for those services.
          </Text>
          <div className="pl-rem-why">
            {Object.entries(plan.dueNext30.toRemindNotPlanned).map(([k, v]) => (
              <div key={k}>
                Not reached today, {lowerLabel(k)}: {num(v)}
              </div>
            ))}
            {Object.entries(plan.dueNext30.plannedNotToRemind).map(([k, v]) => (
              <div key={k}>
                Reached although booked ({k}): {num(v)}
              </div>
            ))}
          </div>
        </>
      )}
    </div>
  );
}
