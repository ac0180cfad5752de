import { Button, Input, Tab, TabList } from '@fluentui/react-components';
import { ArrowSyncRegular, SearchRegular } from '@fluentui/react-icons';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConversationSummary, InboxFilter } from '../../../src-main/contract';
import { useApi, useQuery } from '../../api/context';
import { ConversationList } from './ConversationList';
import { ThreadPane } from './ThreadPane';
import { useConversationPages } from './useConversationPages';
import { useMe } from './staff';
import { currentFormat } from '../../ui/format';

const FILTERS: { id: InboxFilter; label: string }[] = [
  { id: 'all', label: 'Open' },
  { id: 'unread', label: 'Unread' },
  { id: 'mine', label: 'Mine' },
  { id: 'ambiguous', label: 'Shared' },
  { id: 'unknown', label: 'Unknown' },
  { id: 'closed', label: 'Closed' },
];

function conversationFromHash(): number | null {
  const m = /[?&]c=(\d+)/.exec(location.hash);
  return m ? Number(m[1]) : null;
}

function isTyping(el: Element | null): boolean {
  if (!el) return false;
  const tag = el.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (el as HTMLElement).isContentEditable;
}

/** The receptionist's inbox: conversation list on the left, the open thread on the right. */
export function InboxScreen() {
  const api = useApi();
  const [me, setMe] = useMe();
  const [filter, setFilter] = useState<InboxFilter>('all');
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const [selected, setSelected] = useState<number | null>(conversationFromHash);
  const [polling, setPolling] = useState(false);
  const pages = useConversationPages(filter, q, me);
  const { data: staff, reload: reloadStaff } = useQuery('inbox.staff', []);
  const selectedIndex = useRef(-1);

  useEffect(() => {
    const t = setTimeout(() => setQ(search.trim()), 200);
    return () => clearTimeout(t);
  }, [search]);

  useEffect(() => {
    const onHash = () => {
      const c = conversationFromHash();
      if (c) setSelected(c);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const select = useCallback((c: ConversationSummary) => setSelected(c.id), []);

  // Keyboard: up/down move between threads (outside text fields; with Alt anywhere).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
      if (isTyping(document.activeElement) && !e.altKey) return;
      if (e.ctrlKey || e.metaKey) return;
      let idx = -1;
      for (let i = 0; i < pages.total && i < 5000; i++) {
        const c = pages.at(i);
        if (!c) break;
        if (c.id === selected) {
          idx = i;
          break;
        }
      }
      const next = Math.max(0, Math.min(pages.total - 1, idx + (e.key === 'ArrowDown' ? 1 : -1)));
      const c = pages.at(next);
      if (!c) {
        pages.ensure(next);
        return;
      }
      e.preventDefault();
      selectedIndex.current = next;
      setSelected(c.id);
      document.querySelector(`[data-testid="conversation-${c.id}"]`)?.scrollIntoView({ block: 'nearest' });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [pages, selected]);

  const changeMe = (name: string) => {
    setMe(name);
    const v = name.trim();
    if (v && !(staff ?? []).includes(v)) void api.call('inbox.saveStaff', { names: [...(staff ?? []), v] }).then(reloadStaff);
  };

  const checkNow = async () => {
    setPolling(true);
    try {
      await api.call('inbox.pollNow');
    } catch {
      /* the status bar shows channel problems */
    } finally {
      setPolling(false);
      pages.reload();
    }
  };

  return (
    <div className="pl-inbox" data-testid="inbox">
      <section className="pl-inbox-left" aria-label="Conversations">
        <div className="pl-inbox-tools">
          <Input
            contentBefore={<SearchRegular />}
            placeholder="Search name, pet, number, text"
            value={search}
            onChange={(_, d) => setSearch(d.value)}
            data-testid="inbox-search"
            style={{ flex: 1, minWidth: 0 }}
          />
          <Button icon={<ArrowSyncRegular />} title="Check for new texts now" aria-label="Check for new texts now" disabled={polling} onClick={() => void checkNow()} />
        </div>
        <TabList size="small" selectedValue={filter} onTabSelect={(_, d) => setFilter(d.value as InboxFilter)} className="pl-inbox-filters">
          {FILTERS.map((f) => (
            <Tab key={f.id} value={f.id} data-testid={`filter-${f.id}`}>
              {f.label}
            </Tab>
          ))}
        </TabList>
        {filter === 'mine' && !me && <div className="pl-muted" style={{ padding: '4px 8px' }}>Enter your name below to see your conversations.</div>}
        {pages.error && <div className="pl-warn">{pages.error}</div>}
        <ConversationList total={pages.total} at={pages.at} ensure={pages.ensure} selectedId={selected} onSelect={select} loaded={pages.loaded} />
        <div className="pl-inbox-me">
          <label>
            You are{' '}
            <Input size="small" value={me} placeholder="your name" onChange={(_, d) => setMe(d.value)} onBlur={(e) => changeMe(e.currentTarget.value)} data-testid="me" list="pl-staff" />
          </label>
          <datalist id="pl-staff">
            {(staff ?? []).map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
          <span className="pl-muted">{currentFormat().num(pages.total)} conversation{pages.total === 1 ? '' : 's'}</span>
        </div>
      </section>
      <section className="pl-inbox-right" aria-label="Conversation">
        {selected !== null ? <ThreadPane key={selected} conversationId={selected} me={me} staff={staff ?? []} /> : <div className="pl-muted pl-inbox-empty">Select a conversation (or press the down arrow).</div>}
      </section>
    </div>
  );
}
