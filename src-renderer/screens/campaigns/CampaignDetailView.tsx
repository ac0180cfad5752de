import { Button, Card, CardHeader, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, ProgressBar, Spinner, Subtitle2, Text, Title3 } from '@fluentui/react-components';
import { ArrowLeftRegular, DismissCircleRegular, PauseRegular, PlayRegular } from '@fluentui/react-icons';
import { useCallback, useState } from 'react';
import type { CampaignChannelFigures, CampaignProgress } from '../../../src-main/contract';
import { CallError } from '../../api/transport';
import { useApi, useEvent, useQuery } from '../../api/context';
import { AudienceSummary } from './AudienceCountView';
import { DELIVERY_LABEL, KIND_SHORT, STATUS_LABEL, localText, money, num } from './labels';

function ChannelRow({ name, f }: { name: string; f: CampaignChannelFigures }) {
  if (!f.total) return null;
  return (
    <tr>
      <td>{name}</td>
      <td>{num(f.total)}</td>
      <td>{num(f.queued)}</td>
      <td>{num(f.held)}</td>
      <td>{num(f.sending)}</td>
      <td>{num(f.sent + f.delivered)}</td>
      <td>{num(f.delivered)}</td>
      <td>{num(f.failed)}</td>
      <td>{num(f.stopped)}</td>
    </tr>
  );
}

/** Owners who answered the campaign's texts; each opens its inbox thread. */
function Replies({ id, count, timeZone }: { id: number; count: number; timeZone: string | null }) {
  const { data } = useQuery('campaigns.replies', [{ id }], { deps: [count] });
  return (
    <Card>
      <CardHeader header={<Subtitle2>Replies ({num(count)})</Subtitle2>} description={<Text className="pl-muted">Answers land in the inbox, in each owner's thread.</Text>} />
      <ul style={{ margin: 0 }} data-testid="campaign-replies">
        {(data ?? []).slice(0, 50).map((r, i) => (
          <li key={i}>
            {localText(r.receivedAt)} — {r.address}{' '}
            {r.conversationId !== null && <a href={`#/inbox?c=${r.conversationId}`}>open conversation</a>}
          </li>
        ))}
      </ul>
    </Card>
  );
}

/** A started (or scheduled) campaign: live progress, per-channel figures, pause / resume / cancel. */
export function CampaignDetailView({ id, timeZone, onBack, onEdit }: { id: number; timeZone: string | null; onBack: () => void; onEdit: (id: number) => void }) {
  const api = useApi();
  const { data, setData, error, reload } = useQuery('campaigns.get', [{ id }], { refreshOn: ['campaigns.changed'] });
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const onProgress = useCallback(
    (p: CampaignProgress) => {
      if (p.campaignId === id) setData((cur) => (cur ? { ...cur, status: p.status, progress: p } : cur));
    },
    [id, setData],
  );
  useEvent('campaigns.progress', onProgress);
  if (error) return <div className="pl-warn">{error.message}</div>;
  if (!data) return <Spinner label="Loading…" />;
  const p = data.progress;

  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setProblem(null);
    try {
      await fn();
      reload();
    } catch (e) {
      setProblem(e instanceof CallError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ display: 'grid', gap: 12, maxWidth: 1100 }}>
      <div className="pl-row">
        <Button icon={<ArrowLeftRegular />} appearance="subtle" onClick={onBack} data-testid="campaign-back">
          All campaigns
        </Button>
      </div>
      <Title3>{data.name}</Title3>
      <Text>
        {KIND_SHORT[data.kind]} · {DELIVERY_LABEL[data.delivery]} · <strong data-testid="campaign-status">{STATUS_LABEL[data.status]}</strong>
        {data.status === 'scheduled' && data.sendAt ? ` for ${localText(data.sendAt)} (clinic time)` : ''}
      </Text>
      {data.windowNote && <Text className="pl-muted">{data.windowNote}</Text>}
      {problem && <div className="pl-warn" role="alert">{problem}</div>}

      <Card>
        <CardHeader header={<Subtitle2>Progress</Subtitle2>} description={<Text className="pl-muted">{p.enqueueing ? 'Writing messages into the outbox…' : 'Updates live as the outbox sends.'}</Text>} />
        <ProgressBar value={p.total ? p.percent / 100 : data.status === 'finished' ? 1 : 0} thickness="large" aria-label="Campaign progress" />
        <Text size={500} weight="semibold" data-testid="campaign-percent">
          {p.percent}%
        </Text>
        <Text data-testid="campaign-figures">
          {num(p.done)} of {num(p.total)} handled · {num(p.sent + p.delivered)} sent · {num(p.delivered)} delivered · {num(p.failed)} failed · {num(p.held)} held · {num(p.replies)} {p.replies === 1 ? 'reply' : 'replies'}
          {p.estCost > 0 ? ` · est. ${money(p.estCost)}` : ''}
        </Text>
        <table className="pl-table">
          <thead>
            <tr>
              <th>Channel</th>
              <th>Total</th>
              <th>Queued</th>
              <th>Held (paused)</th>
              <th>Sending</th>
              <th>Sent</th>
              <th>Delivered</th>
              <th>Failed</th>
              <th>Withdrawn / cancelled</th>
            </tr>
          </thead>
          <tbody>
            <ChannelRow name="Text" f={p.byChannel.sms} />
            <ChannelRow name="Email" f={p.byChannel.email} />
          </tbody>
        </table>
        <div className="pl-row">
          {data.status === 'sending' && (
            <Button icon={<PauseRegular />} disabled={busy} data-testid="campaign-pause" onClick={() => act(() => api.call('campaigns.pause', { id }))}>
              Pause
            </Button>
          )}
          {data.status === 'paused' && (
            <Button icon={<PlayRegular />} appearance="primary" disabled={busy} data-testid="campaign-resume" onClick={() => act(() => api.call('campaigns.resume', { id }))}>
              Resume
            </Button>
          )}
          {data.status === 'scheduled' && (
            <>
              <Button disabled={busy} data-testid="campaign-unschedule" onClick={() => act(() => api.call('campaigns.unschedule', { id }))}>
                Unschedule
              </Button>
              <Button disabled={busy} onClick={() => onEdit(id)}>
                Edit
              </Button>
            </>
          )}
          {(data.status === 'sending' || data.status === 'paused' || data.status === 'scheduled') && (
            <Button icon={<DismissCircleRegular />} disabled={busy} data-testid="campaign-cancel" onClick={() => setConfirmCancel(true)}>
              Cancel campaign
            </Button>
          )}
        </div>
      </Card>

      {p.replies > 0 && <Replies id={id} count={p.replies} timeZone={timeZone} />}

      {data.snapshot && (
        <Card>
          <CardHeader header={<Subtitle2>Audience when it started</Subtitle2>} />
          <AudienceSummary count={data.snapshot} />
        </Card>
      )}

      <Card>
        <CardHeader header={<Subtitle2>History</Subtitle2>} />
        <ul style={{ margin: 0 }}>
          {data.log.map((l, i) => (
            <li key={i}>
              {localText(l.at)} — {l.action}
              {l.by ? ` by ${l.by}` : ''}
              {l.detail ? ` (${l.detail})` : ''}
            </li>
          ))}
        </ul>
      </Card>

      <Dialog open={confirmCancel} onOpenChange={(_, d) => setConfirmCancel(d.open)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>Cancel this campaign?</DialogTitle>
            <DialogContent>
              Messages that have not gone out yet ({num(p.queued + p.held)}) are withdrawn. Messages already sent cannot be called back.
            </DialogContent>
            <DialogActions>
              <Button onClick={() => setConfirmCancel(false)}>Keep it</Button>
              <Button
                appearance="primary"
                data-testid="campaign-cancel-confirm"
                onClick={() => {
                  setConfirmCancel(false);
                  void act(() => api.call('campaigns.cancel', { id }));
                }}
              >
                Cancel campaign
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </div>
  );
}
