import { Spinner, Tab, TabList, Title3 } from '@fluentui/react-components';
import { useState } from 'react';
import type { PlanChannel } from '../../../src-main/contract';
import { useQuery } from '../../api/context';
import { PlanPanel } from './PlanPanel';
import { PreviewPanel } from './PreviewPanel';
import { RulesPanel } from './RulesPanel';
import { SuppressedPanel } from './SuppressedPanel';
import './reminders.css';

type View = 'plan' | 'preview' | 'suppressed' | 'rules';

/** Practice manager's view of health reminders and appointment messages. */
export function RemindersScreen() {
  const [view, setView] = useState<View>('plan');
  const [filter, setFilter] = useState<{ step?: string; channel?: PlanChannel }>({});
  const latest = useQuery('reminders.plan.latest', [], { refreshOn: ['reminders.planned'] });
  return (
    <div className="pl-rem" data-testid="reminders-screen">
      <Title3>Reminders</Title3>
      <TabList selectedValue={view} onTabSelect={(_, d) => setView(d.value as View)}>
        <Tab value="plan" data-testid="reminders-tab-plan">
          Today's plan
        </Tab>
        <Tab value="preview" data-testid="reminders-tab-preview">
          Preview
        </Tab>
        <Tab value="suppressed" data-testid="reminders-tab-suppressed">
          Held back
        </Tab>
        <Tab value="rules" data-testid="reminders-tab-rules">
          Rules
        </Tab>
      </TabList>
      {latest.loading && latest.data === undefined ? <Spinner label="Loading the plan…" /> : null}
      {latest.error ? <div className="pl-warn">{latest.error.message}</div> : null}
      {latest.data !== undefined && view === 'plan' ? (
        <PlanPanel
          plan={latest.data}
          reload={latest.reload}
          onPreview={(step, channel) => {
            setFilter({ step, channel });
            setView('preview');
          }}
        />
      ) : null}
      {latest.data !== undefined && view === 'preview' ? <PreviewPanel plan={latest.data} filter={filter} setFilter={setFilter} /> : null}
      {latest.data !== undefined && view === 'suppressed' ? <SuppressedPanel plan={latest.data} /> : null}
      {view === 'rules' ? <RulesPanel /> : null}
    </div>
  );
}
