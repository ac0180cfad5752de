import { Badge, Button, Menu, MenuItem, MenuList, MenuPopover, MenuTrigger, MessageBar, MessageBarBody, Spinner } from '@fluentui/react-components';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DeliveryState, InboundIntent, ThreadItem, ThreadView } from '../../../src-main/contract';
import { useApi } from '../../api/context';
import { Composer } from './Composer';
import { LinkClientDialog } from './LinkClientDialog';
import { MediaItem } from './MediaItem';
import { fullTime } from './staff';
import { lowerLabel } from '../../ui/labels';

const STATUS_COLOR: Record<DeliveryState, 'success' | 'informative' | 'warning' | 'danger' | 'subtle'> = {
  queued: 'informative',
  waiting: 'warning',
  sending: 'informative',
  sent: 'informative',
  delivered: 'success',
  undelivered: 'danger',
  failed: 'danger',
  cancelled: 'subtle',
  withdrawn: 'subtle',
  expired: 'subtle',
};

const INTENT_LABEL: Partial<Record<InboundIntent, string>> = {
  'opt-out': 'Opt-out',
  'opt-in': 'Opt-in',
  help: 'HELP',
  confirm: 'Confirmed',
  reschedule: 'Reschedule',
  arrived: 'Arrived',
  'probable-opt-out': 'Opt-out?',
};

const CONFIRM_LABEL = { none: '', requested: 'awaiting confirmation', confirmed: 'confirmed', reschedule: 'wants to reschedule', 'no-answer': 'no answer' } as const;

/** 'YYYY-MM-DDTHH:MM' is clinic wall time: shown as such, whatever zone this desk is in. */
function localWhen(startLocal: string): string {
  const d = new Date(startLocal.slice(0, 16));
  return Number.isNaN(d.getTime()) ? startLocal : d.toLocaleString([], { weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
}

function Item({ item, onRetryMedia }: { item: ThreadItem; onRetryMedia: (id: number) => void }) {
  if (item.type === 'event')
    return (
      <div className="pl-msg-event" title={fullTime(item.at)}>
        {item.body}
        {item.author ? ` · ${item.author}` : ''} · {fullTime(item.at)}
      </div>
    );
  if (item.type === 'note')
    return (
      <div className="pl-msg pl-msg-note" data-testid="thread-note">
        <div className="pl-msg-meta">Internal note{item.author ? ` · ${item.author}` : ''} · {fullTime(item.at)}</div>
        <div className="pl-msg-body">{item.body}</div>
      </div>
    );
  if (item.type === 'inbound')
    return (
      <div className="pl-msg pl-msg-in" data-testid="thread-inbound">
        {/* Owners' text is shown as text: React escapes it; nothing here is ever parsed as HTML. */}
        {item.body && <div className="pl-msg-body">{item.body}</div>}
        {item.media.length > 0 && (
          <div className="pl-media-row">
            {item.media.map((m) => (
              <MediaItem key={m.id} media={m} />
            ))}
          </div>
        )}
        {item.numMedia > 0 && item.mediaState === 'failed' && (
          <div className="pl-row">
            <span className="pl-warn">Pictures could not be downloaded{item.mediaError ? `: ${item.mediaError}` : ''}.</span>
            <Button size="small" onClick={() => onRetryMedia(item.id)} data-testid="retry-media">
              Retry
            </Button>
          </div>
        )}
        {item.numMedia > 0 && item.mediaState === 'pending' && item.media.length === 0 && <Spinner size="tiny" label={`Downloading ${item.numMedia} picture(s)…`} />}
        <div className="pl-msg-meta">
          {fullTime(item.at)}
          {INTENT_LABEL[item.intent] && (
            <Badge size="small" appearance="tint" color={item.intent === 'opt-out' || item.intent === 'probable-opt-out' ? 'danger' : 'brand'}>
              {INTENT_LABEL[item.intent]}
            </Badge>
          )}
        </div>
        {item.outcome && <div className="pl-msg-outcome">{item.outcome}</div>}
      </div>
    );
  return (
    <div className="pl-msg pl-msg-out" data-testid="thread-outbound">
      <div className="pl-msg-body">{item.body}</div>
      <div className="pl-msg-meta">
        {item.kind !== 'reply' ? `${lowerLabel(item.kind)} · ` : ''}
        {item.createdBy.startsWith('staff:') ? `${item.createdBy.slice(6)} · ` : item.createdBy === 'auto' ? 'automatic · ' : ''}
        {fullTime(item.at)}{' '}
        <Badge size="small" appearance="tint" color={STATUS_COLOR[item.status]} data-testid="delivery-state">
          {lowerLabel(item.status)}
        </Badge>
        {item.error && <span className="pl-warn"> {item.error}</span>}
        {!item.error && item.waitReason && item.status === 'waiting' && <span className="pl-muted"> {item.waitReason}</span>}
      </div>
    </div>
  );
}

export function ThreadPane({ conversationId, me, staff }: { conversationId: number; me: string; staff: string[] }) {
  const api = useApi();
  const [view, setView] = useState<ThreadView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const inFlight = useRef(false);
  const statusTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const load = useCallback(() => {
    api
      .call('inbox.thread', { conversationId })
      .then((v) => {
        setView(v);
        setError(null);
        inFlight.current = v.items.some((i) => i.type === 'outbound' && ['queued', 'waiting', 'sending', 'sent'].includes(i.status));
        if (v.conversation.unread > 0 && document.visibilityState === 'visible') void api.call('inbox.markRead', { conversationId });
      })
      .catch((e: Error) => setError(e.message));
  }, [api, conversationId]);

  useEffect(() => {
    setView(null);
    stick.current = true;
    load();
  }, [load]);

  useEffect(() => {
    const offs = [
      api.on('inbox.changed', (p) => p.conversationIds.includes(conversationId) && load()),
      api.on('inbox.message', (p) => p.conversationId === conversationId && load()),
      // Delivery states move as the dispatcher works: follow them while something is under way.
      api.on('system.status', () => {
        if (!inFlight.current) return;
        if (statusTimer.current) return;
        statusTimer.current = setTimeout(() => {
          statusTimer.current = null;
          load();
        }, 300);
      }),
    ];
    return () => {
      offs.forEach((o) => o());
      if (statusTimer.current) clearTimeout(statusTimer.current);
      statusTimer.current = null;
    };
  }, [api, conversationId, load]);

  useEffect(() => {
    const el = scroller.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [view]);

  const act = (p: Promise<unknown>) => p.then(load).catch((e: Error) => setError(e.message));

  if (error && !view) return <div className="pl-warn">{error}</div>;
  if (!view) return <Spinner label="Opening conversation…" />;
  const c = view.conversation;
  return (
    <div className="pl-thread" data-testid="thread">
      <div className="pl-thread-head">
        <div>
          <div className="pl-thread-title" data-testid="thread-title">
            {view.client?.name ?? c.displayAddress}
          </div>
          <div className="pl-muted">
            {c.displayAddress}
            {view.pets.length > 0 && ` · ${view.pets.map((p) => `${p.name}${p.species ? ` (${p.species.toLowerCase()})` : ''}`).join(', ')}`}
            {view.optedOut && (
              <Badge size="small" color="danger" style={{ marginLeft: 6 }}>
                opted out
              </Badge>
            )}
            {view.campaign && (
              <Badge size="small" appearance="tint" color="informative" style={{ marginLeft: 6 }} title="The campaign this reply answers" data-testid="thread-campaign">
                Campaign: {view.campaign.name}
              </Badge>
            )}
          </div>
        </div>
        <div className="pl-row">
          <Menu>
            <MenuTrigger disableButtonEnhancement>
              <Button size="small" data-testid="assign">{c.assignedTo ? `Assigned: ${c.assignedTo}` : 'Assign'}</Button>
            </MenuTrigger>
            <MenuPopover>
              <MenuList>
                {me && <MenuItem onClick={() => act(api.call('inbox.assign', { conversationId, staff: me, by: me }))}>Me ({me})</MenuItem>}
                {staff
                  .filter((s) => s !== me)
                  .map((s) => (
                    <MenuItem key={s} onClick={() => act(api.call('inbox.assign', { conversationId, staff: s, by: me || null }))}>
                      {s}
                    </MenuItem>
                  ))}
                {c.assignedTo && <MenuItem onClick={() => act(api.call('inbox.assign', { conversationId, staff: null, by: me || null }))}>Unassign</MenuItem>}
              </MenuList>
            </MenuPopover>
          </Menu>
          {c.status === 'open' ? (
            <Button size="small" data-testid="close-conversation" onClick={() => act(api.call('inbox.close', { conversationId, by: me || null }))}>
              Close
            </Button>
          ) : (
            <Button size="small" data-testid="reopen-conversation" onClick={() => act(api.call('inbox.reopen', { conversationId, by: me || null }))}>
              Reopen
            </Button>
          )}
          {c.clientId === null && <LinkClientDialog onPick={(id) => act(api.call('inbox.link', { conversationId, clientId: id, by: me || null }))} />}
        </div>
      </div>
      {c.attention === 'probable-opt-out' && (
        <MessageBar intent="warning">
          <MessageBarBody>
            This text looks like a request to stop texting.{' '}
            <Button size="small" data-testid="confirm-opt-out" onClick={() => act(api.call('inbox.optOut', { conversationId, by: me || null }))}>
              Opt this number out
            </Button>
          </MessageBarBody>
        </MessageBar>
      )}
      {view.candidates.length > 0 && c.clientId === null && (
        <MessageBar intent="info" data-testid="candidates">
          <MessageBarBody>
            {c.match === 'ambiguous' ? 'Several households share this number. Who is texting?' : 'This number is not on file.'}{' '}
            {view.candidates.map((k) => (
              <Button key={k.id} size="small" style={{ marginRight: 4 }} onClick={() => act(api.call('inbox.link', { conversationId, clientId: k.id, by: me || null }))}>
                {k.name}
                {k.pets.length ? ` (${k.pets.join(', ')})` : ''}
              </Button>
            ))}
          </MessageBarBody>
        </MessageBar>
      )}
      {(view.appointments.length > 0 || view.reminders.length > 0) && (
        <div className="pl-thread-context pl-muted">
          {view.appointments.map((a) => (
            <span key={a.id}>
              Appointment {localWhen(a.startLocal)} · {a.petName ?? ''} {a.reason ? `· ${a.reason}` : ''} {CONFIRM_LABEL[a.confirmState] ? `· ${CONFIRM_LABEL[a.confirmState]}` : ''}
              {a.arrivedAt ? ' · arrived' : ''}
            </span>
          ))}
          {view.reminders.slice(0, 4).map((r, i) => (
            <span key={i}>
              Due {r.dueDate}: {r.petName} {r.description}
            </span>
          ))}
        </div>
      )}
      <div
        className="pl-thread-items"
        ref={scroller}
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        {view.items.map((it) => (
          <Item key={`${it.type}-${it.id}`} item={it} onRetryMedia={(id) => act(api.call('inbox.retryMedia', { messageId: id }))} />
        ))}
      </div>
      {error && <div className="pl-warn">{error}</div>}
      <Composer conversationId={conversationId} blocked={view.replyBlocked} me={me} onSent={load} />
    </div>
  );
}
