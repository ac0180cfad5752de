import { Badge, Tooltip } from '@fluentui/react-components';
import type { ChannelStatus } from '../../src-main/contract';
import { useQuery } from '../api/context';
import { currentFormat, useClinicFormat } from '../ui/format';

const COLOR: Record<ChannelStatus['state'], 'success' | 'warning' | 'danger' | 'informative'> = {
  connected: 'success',
  'not-configured': 'informative',
  offline: 'danger',
  paused: 'warning',
};
const LABEL: Record<ChannelStatus['state'], string> = { connected: 'connected', 'not-configured': 'not set up', offline: 'offline', paused: 'paused' };

/** "2:05 PM" on the clinic's today, "Dec 1, 2:05 PM" on another day, "never"; clinic time. */
function when(iso: string | null): string {
  return iso ? currentFormat().when(iso) : 'never';
}

/** Always visible: unread, arrivals, channel state and what waits in the outbox. */
export function StatusBar() {
  const { data: s } = useQuery('system.status', [], { refreshOn: ['system.status', 'settings.changed'] });
  const { num } = useClinicFormat();
  if (!s) return <span className="pl-muted">Connecting…</span>;
  return (
    <>
      <strong>{s.clinicName ?? 'Pawline'}</strong>
      {s.demo && (
        <a href="#/demo" className="pl-demo" data-testid="status-demo" title="Open the Demo screen: text the clinic as an owner, see the owner's phone and the mailbox">
          DEMO — simulated Twilio and mail server, no real messages
        </a>
      )}
      <span data-testid="status-unread">Unread: {s.unreadConversations}</span>
      <span data-testid="status-arrivals">Arrivals today: {s.arrivalsToday}</span>
      {s.channels.map((c) => (
        <Tooltip key={c.channel} content={c.reason ?? LABEL[c.state]} relationship="description">
          <Badge appearance="tint" color={COLOR[c.state]} data-testid={`status-${c.channel}`}>
            {c.channel === 'sms' ? 'SMS' : 'Email'}: {LABEL[c.state]}
          </Badge>
        </Tooltip>
      ))}
      <span data-testid="status-outbox">
        Outbox: {num(s.outbox.queued + s.outbox.waiting + s.outbox.sending)} to send{s.outbox.failedToday ? `, ${num(s.outbox.failedToday)} failed today` : ''}
      </span>
      <span className="pl-muted" data-testid="status-loop" title="The daily loop: exports imported, reminders planned">
        Last import: <span data-testid="status-last-import">{when(s.lastImportAt)}</span> · Last plan: <span data-testid="status-last-plan">{when(s.lastPlanAt)}</span>
      </span>
      {s.awaitingApproval ? (
        <a href="#/reminders" data-testid="status-approve" title="Open Reminders to review and approve the plan">
          {num(s.awaitingApproval)} to approve
        </a>
      ) : null}
      {s.warnings.map((w) => (
        <span key={w} className="pl-warn">{w}</span>
      ))}
    </>
  );
}
