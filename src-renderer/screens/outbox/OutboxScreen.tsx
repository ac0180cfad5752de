import { Badge, Button, Checkbox, MessageBar, MessageBarBody, ProgressBar, Spinner, Tab, TabList, Text, Title3, Tooltip } from '@fluentui/react-components';
import { ArrowClockwiseRegular, DismissRegular, PlayRegular } from '@fluentui/react-icons';
import { useCallback, useEffect, useState } from 'react';
import type { ChannelStatus, DrainProgress, OutboxItem, OutboxView } from '../../../src-main/contract';
import { useApi, useEvent, useQuery } from '../../api/context';
import { useClinicFormat } from '../../ui/format';
import { label, lowerLabel } from '../../ui/labels';
import './outbox.css';

const VIEWS: { id: OutboxView; label: string }[] = [
  { id: 'waiting', label: 'Waiting' },
  { id: 'failed', label: 'Failed' },
  { id: 'scheduled', label: 'Scheduled' },
  { id: 'sent', label: 'Sent' },
];

const STATUS_COLOR: Record<OutboxItem['status'], 'informative' | 'success' | 'warning' | 'danger' | 'subtle'> = {
  queued: 'informative',
  waiting: 'warning',
  sending: 'informative',
  sent: 'success',
  delivered: 'success',
  undelivered: 'danger',
  failed: 'danger',
  cancelled: 'subtle',
  withdrawn: 'subtle',
  expired: 'subtle',
};



/** Shown while a batch drains: counts, rate and time left. */
function DrainBar({ p }: { p: DrainProgress }) {
  const { num } = useClinicFormat();
  const finished = p.done + p.failed + p.skipped;
  return (
    <div className="pl-outbox-progress" data-testid="outbox-progress" aria-live="polite">
      <div className="pl-row" style={{ justifyContent: 'space-between' }}>
        <Text weight="semibold">
          Sending: {num(finished)} of {num(p.total)}
          {p.failed ? `, ${num(p.failed)} failed` : ''}
          {p.skipped ? `, ${num(p.skipped)} not sent (opted out, bad address or expired)` : ''}
        </Text>
        <Text>
          {p.perSecond ? `${p.perSecond}/s` : ''}
          {p.etaSeconds ? ` · about ${p.etaSeconds < 90 ? `${p.etaSeconds} s` : `${Math.round(p.etaSeconds / 60)} min`} left` : ''}
        </Text>
      </div>
      <ProgressBar thickness="large" value={p.total ? finished / p.total : undefined} />
    </div>
  );
}

function ChannelCard({ c, onResume }: { c: ChannelStatus; onResume(): void }) {
  const name = c.channel === 'sms' ? 'Texts (Twilio)' : 'Email';
  const state = { connected: 'Connected', paused: 'Paused', offline: 'Offline', 'not-configured': 'Not set up' }[c.state];
  const intent = { connected: 'success', paused: 'warning', offline: 'error', 'not-configured': 'info' }[c.state] as 'success' | 'warning' | 'error' | 'info';
  return (
    <MessageBar intent={intent} data-testid={`outbox-channel-${c.channel}`}>
      <MessageBarBody>
        <strong>
          {name}: {state}
        </strong>
        {c.reason ? ` — ${c.reason}` : ''}
        {c.state === 'paused' && (
          <Button size="small" appearance="transparent" icon={<PlayRegular />} onClick={onResume} data-testid={`outbox-resume-${c.channel}`}>
            Resume now
          </Button>
        )}
      </MessageBarBody>
    </MessageBar>
  );
}

/**
 * What waits and why, what failed and why, with retry and cancel; channel state and a progress bar
 * while a batch goes out.
 */
export function OutboxScreen() {
  const api = useApi();
  const f = useClinicFormat();
  const { num } = f;
  const when = f.dateTime;
  const [view, setView] = useState<OutboxView>('waiting');
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [banner, setBanner] = useState<string | null>(null);
  const list = useQuery('outbox.list', [{ view, limit: 300 }], { refreshOn: ['outbox.changed'] });
  const counts = useQuery('outbox.counts', [], { refreshOn: ['outbox.changed'] });
  const channels = useQuery('outbox.channels', [], { refreshOn: ['channel.status', 'settings.changed'] });
  const [progress, setProgress] = useState<DrainProgress | null>(null);

  useEffect(() => {
    void api.call('outbox.progress').then((p) => setProgress(p.active ? p : null));
  }, [api]);
  useEvent(
    'outbox.progress',
    useCallback((p: DrainProgress) => setProgress(p.active ? p : null), []),
  );
  useEffect(() => setSelected(new Set()), [view]);

  const items = list.data?.items ?? [];
  const toggle = (id: number) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  const chosen = items.filter((i) => selected.has(i.id));
  const act = async (what: 'retry' | 'cancel', ids: number[]) => {
    if (!ids.length) return;
    if (what === 'retry') {
      const r = await api.call('outbox.retry', { ids });
      setBanner(`${num(r.retried)} message${r.retried === 1 ? '' : 's'} back in the queue.`);
    } else {
      const r = await api.call('outbox.cancel', { ids });
      setBanner(`${num(r.cancelled)} message${r.cancelled === 1 ? '' : 's'} cancelled.`);
    }
    setSelected(new Set());
    list.reload();
    counts.reload();
  };
  const c = counts.data?.byStatus;
  const tabCount: Record<OutboxView, number> = {
    waiting: (c?.waiting ?? 0) + (c?.sending ?? 0),
    failed: (c?.failed ?? 0) + (c?.undelivered ?? 0) + (c?.expired ?? 0) + (c?.withdrawn ?? 0),
    scheduled: c?.queued ?? 0,
    sent: (c?.sent ?? 0) + (c?.delivered ?? 0),
    all: 0,
  };

  return (
    <div className="pl-outbox">
      <Title3>Outbox</Title3>
      <div className="pl-outbox-channels">
        {(channels.data ?? []).map((ch) => (
          <ChannelCard key={ch.channel} c={ch} onResume={() => void api.call('outbox.resumeChannel', { channel: ch.channel as 'sms' | 'email' }).then(() => channels.reload())} />
        ))}
      </div>
      {progress && <DrainBar p={progress} />}
      {counts.data && counts.data.waitingByReason.length > 0 && (
        <ul className="pl-outbox-reasons" data-testid="outbox-reasons">
          {counts.data.waitingByReason.map((r) => (
            <li key={r.reason}>
              <strong>{num(r.count)}</strong> {r.why}
            </li>
          ))}
        </ul>
      )}
      <TabList selectedValue={view} onTabSelect={(_, d) => setView(d.value as OutboxView)}>
        {VIEWS.map((v) => (
          <Tab key={v.id} value={v.id} data-testid={`outbox-tab-${v.id}`}>
            {v.label} ({num(tabCount[v.id])})
          </Tab>
        ))}
      </TabList>
      {banner && (
        <MessageBar intent="success" data-testid="outbox-banner">
          <MessageBarBody>{banner}</MessageBarBody>
        </MessageBar>
      )}
      <div className="pl-row">
        <Button icon={<ArrowClockwiseRegular />} disabled={!chosen.some((i) => i.canRetry)} onClick={() => void act('retry', chosen.filter((i) => i.canRetry).map((i) => i.id))} data-testid="outbox-retry">
          Retry selected
        </Button>
        <Button icon={<DismissRegular />} disabled={!chosen.some((i) => i.canCancel)} onClick={() => void act('cancel', chosen.filter((i) => i.canCancel).map((i) => i.id))} data-testid="outbox-cancel">
          Cancel selected
        </Button>
        <Text className="pl-muted">
          {list.data ? `${num(list.data.total)} message${list.data.total === 1 ? '' : 's'}${list.data.total > items.length ? `, newest ${num(items.length)} shown` : ''}${f.labelled ? ` · times are clinic time (${f.zoneName})` : ''}` : ''}
        </Text>
      </div>
      {list.error && <div className="pl-warn">{list.error.message}</div>}
      {!list.data && !list.error && <Spinner label="Loading…" />}
      {list.data && items.length === 0 && <Text className="pl-muted">Nothing here.</Text>}
      {items.length > 0 && (
        <table className="pl-table pl-outbox-table" data-testid="outbox-table">
          <thead>
            <tr>
              <th>
                <Checkbox
                  aria-label="Select all"
                  checked={selected.size > 0 && selected.size === items.length ? true : selected.size > 0 ? 'mixed' : false}
                  onChange={(_, d) => setSelected(d.checked ? new Set(items.map((i) => i.id)) : new Set())}
                />
              </th>
              <th>Status</th>
              <th>To</th>
              <th>Message</th>
              <th>Why</th>
              <th>When</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.id} data-testid={`outbox-row-${i.id}`}>
                <td>
                  <Checkbox aria-label={`Select message ${i.id}`} checked={selected.has(i.id)} onChange={() => toggle(i.id)} />
                </td>
                <td>
                  <Badge appearance="tint" color={STATUS_COLOR[i.status]}>
                    {lowerLabel(i.status)}
                  </Badge>
                  <div className="pl-muted pl-outbox-kind">
                    {i.channel === 'sms' ? 'Text' : i.channel === 'email' ? 'Email' : 'Postcard'} · {label(i.kind)}
                  </div>
                </td>
                <td className="pl-outbox-to">{i.to}</td>
                <td className="pl-outbox-preview">
                  {i.subject && <div className="pl-outbox-subject">{i.subject}</div>}
                  <Tooltip content={i.preview} relationship="description">
                    <span>{i.preview}</span>
                  </Tooltip>
                </td>
                <td className="pl-outbox-why" data-testid={`outbox-why-${i.id}`}>
                  {i.why}
                  {i.errorCode && <span className="pl-muted"> (code {i.errorCode})</span>}
                  {i.nextAttemptAt && <div className="pl-muted">Next try {when(i.nextAttemptAt)}</div>}
                </td>
                <td className="pl-muted">{when(i.sentAt ?? i.updatedAt)}</td>
                <td>
                  {i.canRetry && (
                    <Button size="small" onClick={() => void act('retry', [i.id])} data-testid={`outbox-retry-${i.id}`}>
                      Retry
                    </Button>
                  )}
                  {i.canCancel && (
                    <Button size="small" appearance="subtle" onClick={() => void act('cancel', [i.id])} data-testid={`outbox-cancel-${i.id}`}>
                      Cancel
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
