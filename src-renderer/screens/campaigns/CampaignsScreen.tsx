import { Button, Spinner, Title3 } from '@fluentui/react-components';
import { AddRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useQuery } from '../../api/context';
import { CampaignDetailView } from './CampaignDetailView';
import { CampaignEditor } from './CampaignEditor';
import { CampaignList } from './CampaignList';

type View = { mode: 'list' } | { mode: 'edit'; id: number | null } | { mode: 'view'; id: number };

/** Practice manager's broadcasts: the list, the editor (audience, content, preview) and a running campaign's progress. */
export function CampaignsScreen() {
  const [view, setView] = useState<View>({ mode: 'list' });
  const options = useQuery('campaigns.filterOptions', [], { refreshOn: ['settings.changed'] });
  if (options.error) return <div className="pl-warn">{options.error.message}</div>;
  if (!options.data) return <Spinner label="Loading campaigns…" />;
  if (view.mode === 'edit')
    return (
      <CampaignEditor
        id={view.id}
        options={options.data}
        onClose={() => setView({ mode: 'list' })}
        onStarted={(id) => setView({ mode: 'view', id })}
      />
    );
  if (view.mode === 'view')
    return <CampaignDetailView id={view.id} timeZone={options.data.timeZone} onBack={() => setView({ mode: 'list' })} onEdit={(id) => setView({ mode: 'edit', id })} />;
  return (
    <div style={{ display: 'grid', gap: 12, maxWidth: 1200 }}>
      <div className="pl-row" style={{ justifyContent: 'space-between' }}>
        <Title3>Campaigns</Title3>
        <Button appearance="primary" icon={<AddRegular />} data-testid="campaign-new" onClick={() => setView({ mode: 'edit', id: null })}>
          New campaign or alert
        </Button>
      </div>
      <CampaignList
        timeZone={options.data.timeZone}
        onOpen={(c) => setView(c.status === 'draft' ? { mode: 'edit', id: c.id } : { mode: 'view', id: c.id })}
      />
    </div>
  );
}
