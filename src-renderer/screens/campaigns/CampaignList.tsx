import { Badge, ProgressBar, Text } from '@fluentui/react-components';
import { useCallback } from 'react';
import type { CampaignProgress, CampaignStatus, CampaignSummary } from '../../../src-main/contract';
import { useEvent, useQuery } from '../../api/context';
import { KIND_SHORT, STATUS_LABEL, localText, money, num } from './labels';

const GROUPS: { title: string; statuses: CampaignStatus[] }[] = [
  { title: 'Sending', statuses: ['sending', 'paused'] },
  { title: 'Scheduled', statuses: ['scheduled'] },
  { title: 'Drafts', statuses: ['draft'] },
  { title: 'Finished', statuses: ['finished', 'cancelled'] },
];

const STATUS_COLOR: Record<CampaignStatus, 'brand' | 'warning' | 'informative' | 'success' | 'subtle' | 'important'> = {
  sending: 'brand',
  paused: 'warning',
  scheduled: 'informative',
  draft: 'subtle',
  finished: 'success',
  cancelled: 'important',
};

export function Figures({ p }: { p: CampaignProgress }) {
  return (
    <span className="pl-muted" style={{ fontSize: 12 }}>
      {num(p.total)} messages · {num(p.queued + p.held)} queued · {num(p.sent + p.delivered)} sent · {num(p.delivered)} delivered · {num(p.failed)} failed · {num(p.replies)} {p.replies === 1 ? 'reply' : 'replies'}
      {p.estCost > 0 ? ` · ${money(p.estCost)}` : ''}
    </span>
  );
}

/** Every campaign grouped by where it stands, with its figures; running ones update live. */
export function CampaignList({ onOpen, timeZone }: { onOpen: (c: CampaignSummary) => void; timeZone: string | null }) {
  const { data, setData, error } = useQuery('campaigns.list', [], { refreshOn: ['campaigns.changed'] });
  const onProgress = useCallback(
    (p: CampaignProgress) => setData((cur) => cur?.map((c) => (c.id === p.campaignId ? { ...c, status: p.status, progress: p } : c))),
    [setData],
  );
  useEvent('campaigns.progress', onProgress);
  if (error) return <div className="pl-warn">{error.message}</div>;
  if (!data) return null;
  if (!data.length) return <Text className="pl-muted">No campaigns yet. Start with “New campaign or alert”: a closure alert for tomorrow's appointments takes a minute.</Text>;
  return (
    <div style={{ display: 'grid', gap: 16 }}>
      {GROUPS.map((g) => {
        const rows = data.filter((c) => g.statuses.includes(c.status));
        if (!rows.length) return null;
        return (
          <section key={g.title} aria-label={g.title}>
            <Text weight="semibold">{g.title}</Text>
            <table className="pl-table" data-testid={`campaigns-${g.title.toLowerCase()}`}>
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Kind</th>
                  <th>Status</th>
                  <th>When</th>
                  <th style={{ width: '40%' }}>Progress</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((c) => (
                  <tr key={c.id} data-testid={`campaign-row-${c.id}`} style={{ cursor: 'pointer' }} onClick={() => onOpen(c)} tabIndex={0} onKeyDown={(e) => e.key === 'Enter' && onOpen(c)}>
                    <td>
                      <a href="#/campaigns" onClick={(e) => e.preventDefault()}>{c.name}</a>
                    </td>
                    <td>{KIND_SHORT[c.kind]}</td>
                    <td>
                      <Badge appearance="tint" color={STATUS_COLOR[c.status]}>{STATUS_LABEL[c.status]}</Badge>
                    </td>
                    <td>{c.status === 'scheduled' ? localText(c.sendAt) : localText(c.finishedAt ?? c.startedAt ?? c.updatedAt)}</td>
                    <td>
                      {c.progress.total > 0 && <ProgressBar value={c.progress.percent / 100} thickness="large" color={c.progress.failed ? 'warning' : 'brand'} />}
                      <Figures p={c.progress} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        );
      })}
    </div>
  );
}
