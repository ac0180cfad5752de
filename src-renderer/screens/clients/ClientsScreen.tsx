import { Badge, Checkbox, Input, Spinner, Text } from '@fluentui/react-components';
import { SearchRegular } from '@fluentui/react-icons';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useEvent } from '../../api/context';
import { ClientDetailView } from './ClientDetailView';
import { useClientPages } from './useClientPages';
import './clients.css';
import { currentFormat } from '../../ui/format';

const ROW = 56;

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

function displayPhone(e164: string | null): string {
  if (!e164) return '';
  return /^\+1\d{10}$/.test(e164) ? `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}` : e164;
}

/** Clients: search by name, phone (any format), email or pet name; the household on the right. */
export function ClientsScreen() {
  const [query, setQuery] = useState('');
  const [inactive, setInactive] = useState(false);
  const [selected, setSelected] = useState<number | null>(null);
  const [stamp, setStamp] = useState(0);
  const q = useDebounced(query.trim(), 250);
  const pages = useClientPages(q, inactive, stamp);
  const parentRef = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count: pages.total ?? 0, getScrollElement: () => parentRef.current, estimateSize: () => ROW, overscan: 10 });
  const items = v.getVirtualItems();
  useEffect(() => {
    for (const it of items) if (!pages.at(it.index)) pages.ensure(it.index);
  });
  // A finished import may have changed any row: start the list over.
  useEvent(
    'imports.finished',
    useCallback(() => setStamp((s) => s + 1), []),
  );

  return (
    <div className="pl-clients" data-testid="clients-screen">
      <div className="pl-clients-left">
        <Input
          contentBefore={<SearchRegular />}
          placeholder="Name, phone, email or pet"
          value={query}
          onChange={(_, d) => setQuery(d.value)}
          aria-label="Search clients"
          data-testid="clients-search"
          autoFocus
        />
        <div className="pl-row" style={{ justifyContent: 'space-between' }}>
          <Checkbox checked={inactive} onChange={(_, d) => setInactive(!!d.checked)} label="Include inactive" />
          <Text className="pl-muted" data-testid="clients-total">
            {pages.total === null ? '' : `${currentFormat().num(pages.total)} client${pages.total === 1 ? '' : 's'}`}
          </Text>
        </div>
        <div ref={parentRef} className="pl-clients-list" role="listbox" aria-label="Clients" data-testid="clients-list">
          {pages.total === null && <Spinner size="small" />}
          {pages.total === 0 && <div className="pl-muted" style={{ padding: 12 }}>No client matches. Try part of a name, the last digits of a phone number, or a pet's name.</div>}
          <div style={{ height: v.getTotalSize(), position: 'relative' }}>
            {items.map((it) => {
              const c = pages.at(it.index);
              return (
                <div
                  key={it.key}
                  role="option"
                  aria-selected={c?.id === selected}
                  className={`pl-clients-row${c && c.id === selected ? ' pl-clients-row-selected' : ''}`}
                  style={{ height: ROW, transform: `translateY(${it.start}px)` }}
                  onClick={() => c && setSelected(c.id)}
                  data-testid={c ? `client-row-${c.pimsId}` : undefined}
                >
                  {c ? (
                    <>
                      <div className="pl-row" style={{ justifyContent: 'space-between', flexWrap: 'nowrap' }}>
                        <span className="pl-clients-name">{c.name}</span>
                        <span className="pl-muted">{displayPhone(c.phone)}</span>
                      </div>
                      <div className="pl-row" style={{ gap: 6, flexWrap: 'nowrap' }}>
                        <span className="pl-muted pl-clients-pets">{c.pets.join(', ') || 'no pets'}</span>
                        {!c.active && <Badge size="small" appearance="tint" color="subtle">inactive</Badge>}
                        {!c.smsCapable && <Badge size="small" appearance="tint" color="informative">no cell</Badge>}
                        {c.noSms && <Badge size="small" appearance="tint" color="warning">no texts</Badge>}
                      </div>
                    </>
                  ) : (
                    <span className="pl-muted">…</span>
                  )}
                </div>
              );
            })}
          </div>
        </div>
      </div>
      <div className="pl-clients-right">
        {selected ? <ClientDetailView key={`${selected}:${stamp}`} id={selected} onOpen={setSelected} /> : <div className="pl-muted">Choose a client on the left.</div>}
      </div>
    </div>
  );
}
