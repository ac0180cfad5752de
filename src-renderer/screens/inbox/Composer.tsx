import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  MessageBar,
  MessageBarBody,
  Tab,
  TabList,
  Textarea,
} from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import type { SmsDraftAnalysis } from '../../../src-main/contract';
import { useApi, useQuery } from '../../api/context';
import { CallError } from '../../api/transport';
import { newRequestId } from './staff';

const FIELDS: { field: string; label: string }[] = [
  { field: 'client.firstName', label: 'Client first name' },
  { field: 'client.lastName', label: 'Client last name' },
  { field: 'pet.name', label: 'Pet name' },
  { field: 'pets', label: 'All pets' },
  { field: 'clinic.phone', label: 'Clinic phone' },
  { field: 'clinic.name', label: 'Clinic name' },
];

interface QuietPrompt {
  message: string;
  legalOpen: boolean;
}

/**
 * Reply composer: templates and merge fields, a live segment counter with a UCS-2 warning and
 * a one-click fix, Ctrl+Enter to send, and internal notes that never leave the desk.
 */
export function Composer({ conversationId, blocked, me, onSent }: { conversationId: number; blocked: string | null; me: string; onSent: () => void }) {
  const api = useApi();
  const [mode, setMode] = useState<'reply' | 'note'>('reply');
  const [body, setBody] = useState('');
  const [analysis, setAnalysis] = useState<SmsDraftAnalysis | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [quiet, setQuiet] = useState<QuietPrompt | null>(null);
  const requestId = useRef(newRequestId());
  const area = useRef<HTMLTextAreaElement>(null);
  const { data: templates } = useQuery('inbox.templates', []);

  // A new conversation starts a new draft.
  useEffect(() => {
    setBody('');
    setError(null);
    setAnalysis(null);
    requestId.current = newRequestId();
  }, [conversationId]);

  useEffect(() => {
    if (mode !== 'reply' || !body) {
      setAnalysis(null);
      return;
    }
    let live = true;
    const t = setTimeout(() => {
      api
        .call('inbox.analyze', { conversationId, body })
        .then((a) => live && setAnalysis(a))
        .catch(() => undefined);
    }, 120);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [api, body, conversationId, mode]);

  const insert = (text: string) => {
    const el = area.current;
    if (!el) return setBody((b) => b + text);
    const start = el.selectionStart ?? body.length;
    const end = el.selectionEnd ?? body.length;
    const next = body.slice(0, start) + text + body.slice(end);
    setBody(next);
    requestAnimationFrame(() => {
      el.focus();
      el.setSelectionRange(start + text.length, start + text.length);
    });
  };

  const send = async (quietHours?: 'wait' | 'override') => {
    if (!body.trim() || busy) return;
    setBusy(true);
    setError(null);
    try {
      if (mode === 'note') {
        await api.call('inbox.addNote', { conversationId, body, author: me || null });
      } else {
        await api.call('inbox.send', { conversationId, body, requestId: requestId.current, staff: me || null, quietHours });
      }
      setBody('');
      setQuiet(null);
      requestId.current = newRequestId();
      onSent();
    } catch (e) {
      if (e instanceof CallError && e.code === 'quiet-hours') setQuiet({ message: e.message, legalOpen: e.fields?.legalOpen === 'true' });
      else setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void send();
    }
  };

  const replyBlocked = mode === 'reply' ? blocked : null;
  const over = analysis?.error;
  return (
    <div className="pl-composer" data-testid="composer">
      <div className="pl-row">
        <TabList size="small" selectedValue={mode} onTabSelect={(_, d) => setMode(d.value as 'reply' | 'note')}>
          <Tab value="reply" data-testid="mode-reply">Reply by text</Tab>
          <Tab value="note" data-testid="mode-note">Internal note</Tab>
        </TabList>
        {mode === 'reply' && (
          <>
            <Menu>
              <MenuTrigger disableButtonEnhancement>
                <Button size="small" data-testid="templates">Templates</Button>
              </MenuTrigger>
              <MenuPopover>
                <MenuList>
                  {(templates ?? []).map((t) => (
                    <MenuItem
                      key={t.id}
                      onClick={() =>
                        void api
                          .call('inbox.renderTemplate', { conversationId, templateId: t.id })
                          .then((r) => setBody(r.text))
                          .catch((e: Error) => setError(e.message))
                      }
                    >
                      {t.name}
                    </MenuItem>
                  ))}
                </MenuList>
              </MenuPopover>
            </Menu>
            <Menu>
              <MenuTrigger disableButtonEnhancement>
                <Button size="small">Insert field</Button>
              </MenuTrigger>
              <MenuPopover>
                <MenuList>
                  {FIELDS.map((f) => (
                    <MenuItem key={f.field} onClick={() => insert(`{{${f.field}}}`)}>
                      {f.label}
                    </MenuItem>
                  ))}
                </MenuList>
              </MenuPopover>
            </Menu>
          </>
        )}
      </div>
      {replyBlocked && (
        <MessageBar intent="warning">
          <MessageBarBody>{replyBlocked}</MessageBarBody>
        </MessageBar>
      )}
      <Textarea
        ref={area}
        resize="vertical"
        className={mode === 'note' ? 'pl-note-input' : undefined}
        textarea={{ 'data-testid': 'composer-input', 'aria-label': mode === 'note' ? 'Internal note' : 'Reply' } as React.TextareaHTMLAttributes<HTMLTextAreaElement>}
        value={body}
        disabled={!!replyBlocked}
        placeholder={mode === 'note' ? 'Note for the team (never sent to the owner)…' : 'Type a reply… (Ctrl+Enter sends)'}
        onChange={(_, d) => setBody(d.value)}
        onKeyDown={onKeyDown}
      />
      {mode === 'reply' && analysis && (
        <div className="pl-row pl-counter" data-testid="segment-counter">
          <span>
            {analysis.characters}/{analysis.perSegmentLimit * analysis.segments} · {analysis.segments} segment{analysis.segments === 1 ? '' : 's'} · {analysis.encoding} · about $
            {analysis.estCost.toFixed(4)}
          </span>
          {analysis.missingFields.length > 0 && <span className="pl-warn">No value for {analysis.missingFields.map((f) => `{{${f}}}`).join(', ')}</span>}
        </div>
      )}
      {mode === 'reply' && analysis?.encoding === 'UCS-2' && (
        <MessageBar intent="warning" data-testid="ucs2-warning">
          <MessageBarBody>
            {analysis.nonGsmChars.map((c) => (
              <span key={c} className="pl-chars">
                {c}
              </span>
            ))}
            make{analysis.nonGsmChars.length === 1 ? 's' : ''} this a UCS-2 text (70 characters per segment instead of 160).
            {analysis.fixable > 0 && (
              <>
                {' '}
                <Button size="small" appearance="primary" data-testid="fix-quotes" onClick={() => setBody(analysis.fixed)}>
                  Replace {analysis.fixable} curly quote{analysis.fixable === 1 ? '' : 's'}/dash{analysis.fixable === 1 ? '' : 'es'}
                </Button>
              </>
            )}
          </MessageBarBody>
        </MessageBar>
      )}
      {over && <div className="pl-warn">{over}</div>}
      {error && (
        <MessageBar intent="error" data-testid="composer-error">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      <div className="pl-row" style={{ justifyContent: 'flex-end' }}>
        <Button appearance="primary" disabled={busy || !body.trim() || !!replyBlocked || !!over} onClick={() => void send()} data-testid="send">
          {mode === 'note' ? 'Add note' : 'Send'} (Ctrl+Enter)
        </Button>
      </div>
      <Dialog open={!!quiet} onOpenChange={(_, d) => !d.open && setQuiet(null)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>Quiet hours</DialogTitle>
            <DialogContent>{quiet?.message}</DialogContent>
            <DialogActions>
              <Button onClick={() => setQuiet(null)}>Cancel</Button>
              <Button onClick={() => void send('wait')} data-testid="quiet-wait">
                Wait for the morning
              </Button>
              {quiet?.legalOpen && (
                <Button appearance="primary" onClick={() => void send('override')} data-testid="quiet-override">
                  Send now anyway
                </Button>
              )}
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </div>
  );
}
