import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Spinner, Text } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { PlanChannel, PlanSummary } from '../../../src-main/contract';
import { useApi } from '../../api/context';
import { useClinicFormat } from '../../ui/format';
import { CHANNEL_LABEL } from './labels';

export interface ApproveTarget {
  step?: string;
  channel?: PlanChannel;
}

interface ChannelTotal {
  channel: PlanChannel;
  messages: number;
  segments: number;
  cost: number;
}

const ORDER: PlanChannel[] = ['sms', 'email', 'postcard'];

/**
 * Approving queues real messages to real owners, often thousands at once, and cannot be taken back
 * in one click: the manager sees how many go out on each channel and what the texts cost first.
 * Only what still waits for approval counts (a rule may queue without approval).
 */
export function ApproveDialog({ plan, target, onCancel, onConfirm }: { plan: PlanSummary; target: ApproveTarget | null; onCancel: () => void; onConfirm: (t: ApproveTarget) => void }) {
  const api = useApi();
  const f = useClinicFormat();
  const [totals, setTotals] = useState<ChannelTotal[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setTotals(null);
    setError(null);
    if (!target || !plan.runId) return;
    let live = true;
    const rows = plan.reminders.byStep.filter((b) => (!target.step || b.step === target.step) && (!target.channel || b.channel === target.channel));
    Promise.all(
      rows.map(async (b) => {
        const waiting = b.messages ? (await api.call('reminders.plan.preview', { runId: plan.runId!, step: b.step, channel: b.channel, status: 'proposed', limit: 1 })).total : 0;
        // The plan's segments and cost cover every message of the step; scale them to the ones still waiting.
        const share = b.messages ? waiting / b.messages : 0;
        return { channel: b.channel, messages: waiting, segments: Math.round(b.segments * share), cost: b.estCost * share };
      }),
    )
      .then((parts) => {
        if (!live) return;
        const by = new Map<PlanChannel, ChannelTotal>();
        for (const p of parts) {
          const t = by.get(p.channel) ?? { channel: p.channel, messages: 0, segments: 0, cost: 0 };
          t.messages += p.messages;
          t.segments += p.segments;
          t.cost += p.cost;
          by.set(p.channel, t);
        }
        setTotals(ORDER.map((c) => by.get(c)).filter((t): t is ChannelTotal => !!t && t.messages > 0));
      })
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [api, plan, target]);

  const total = (totals ?? []).reduce((n, t) => n + t.messages, 0);
  const cost = (totals ?? []).reduce((n, t) => n + (t.channel === 'sms' ? t.cost : 0), 0);
  const stepLabel = target?.step ? plan.reminders.byStep.find((b) => b.step === target.step)?.label : undefined;
  return (
    <Dialog open={!!target} modalType="alert" onOpenChange={(_, d) => !d.open && onCancel()}>
      <DialogSurface data-testid="approve-dialog">
        <DialogBody>
          <DialogTitle>Queue these reminders?</DialogTitle>
          <DialogContent>
            {error ? <div className="pl-warn">{error}</div> : null}
            {!totals && !error ? <Spinner size="tiny" label="Counting the messages…" /> : null}
            {totals ? (
              <div style={{ display: 'grid', gap: 6 }}>
                <Text>
                  {stepLabel ? `Step "${stepLabel}"${target?.channel ? `, ${CHANNEL_LABEL[target.channel].toLowerCase()} only` : ''}: ` : ''}
                  <strong data-testid="approve-total">{f.num(total)}</strong> message{total === 1 ? '' : 's'} will be queued in the outbox and go out in the send window.
                </Text>
                <ul data-testid="approve-by-channel" style={{ margin: 0 }}>
                  {totals.map((t) => (
                    <li key={t.channel}>
                      {CHANNEL_LABEL[t.channel]}: {f.num(t.messages)}
                      {t.channel === 'sms' ? ` (${f.num(t.segments)} segment${t.segments === 1 ? '' : 's'}, est. ${f.money(t.cost)})` : t.channel === 'postcard' ? ' (postcards to print)' : ''}
                    </li>
                  ))}
                </ul>
                <Text data-testid="approve-cost">Estimated texting cost: {f.money(cost)}.</Text>
              </div>
            ) : null}
          </DialogContent>
          <DialogActions>
            <Button autoFocus onClick={onCancel} data-testid="approve-cancel">
              Cancel
            </Button>
            <Button appearance="primary" disabled={!totals || total === 0} onClick={() => target && onConfirm(target)} data-testid="approve-confirm">
              Queue {totals ? f.num(total) : ''} message{total === 1 ? '' : 's'}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
