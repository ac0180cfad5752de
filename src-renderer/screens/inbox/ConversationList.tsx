import { Badge, Spinner } from '@fluentui/react-components';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { ConversationSummary } from '../../../src-main/contract';
import { timeLabel } from './staff';

const ROW_HEIGHT = 62;

function title(c: ConversationSummary): string {
  if (c.clientName) return c.clientName;
  if (c.match === 'ambiguous') return `${c.displayAddress} · shared number`;
  if (c.match === 'short-code') return `${c.displayAddress} · short code`;
  return `${c.displayAddress} · unknown`;
}

/**
 * Dense, virtualised conversation list: only the rows in view are in the DOM, and pages are
 * fetched as they scroll into view.
 */
export function ConversationList(props: {
  total: number;
  at: (i: number) => ConversationSummary | undefined;
  ensure: (i: number) => void;
  selectedId: number | null;
  onSelect: (c: ConversationSummary) => void;
  loaded: boolean;
}) {
  const parentRef = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count: props.total, getScrollElement: () => parentRef.current, estimateSize: () => ROW_HEIGHT, overscan: 8 });
  const items = v.getVirtualItems();
  useEffect(() => {
    for (const it of items) if (!props.at(it.index)) props.ensure(it.index);
  }, [items, props]);

  if (!props.loaded) return <Spinner size="small" label="Loading conversations…" />;
  if (props.total === 0) return <div className="pl-muted pl-inbox-empty" data-testid="inbox-empty">No conversations here.</div>;
  return (
    <div ref={parentRef} className="pl-inbox-list" data-testid="conversation-list" role="listbox" aria-label="Conversations">
      <div style={{ height: v.getTotalSize(), position: 'relative' }}>
        {items.map((it) => {
          const c = props.at(it.index);
          const selected = c && c.id === props.selectedId;
          return (
            <div
              key={it.key}
              role="option"
              aria-selected={!!selected}
              className={`pl-conv${selected ? ' pl-conv-selected' : ''}${c && c.unread ? ' pl-conv-unread' : ''}`}
              style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${it.start}px)` }}
              data-testid={c ? `conversation-${c.id}` : undefined}
              onClick={() => c && props.onSelect(c)}
            >
              {c ? (
                <>
                  <div className="pl-conv-top">
                    <span className="pl-conv-name">{title(c)}</span>
                    <span className="pl-conv-time">{timeLabel(c.lastMessageAt)}</span>
                  </div>
                  <div className="pl-conv-bottom">
                    <span className="pl-conv-preview">
                      {c.lastDirection === 'outbound' ? 'You: ' : ''}
                      {c.lastPreview}
                    </span>
                    {c.attention === 'reschedule' && <Badge size="small" color="warning">Reschedule</Badge>}
                    {c.attention === 'probable-opt-out' && <Badge size="small" color="danger">Opt-out?</Badge>}
                    {c.assignedTo && <Badge size="small" appearance="outline">{c.assignedTo}</Badge>}
                    {c.unread > 0 && (
                      <Badge size="small" color="brand" data-testid="unread-badge">
                        {c.unread}
                      </Badge>
                    )}
                  </div>
                  {c.pets.length > 0 && <div className="pl-conv-pets">{c.pets.join(', ')}</div>}
                </>
              ) : (
                <span className="pl-muted">…</span>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
