import { MessageBar, MessageBarBody, Spinner, Tab, TabList, Title3 } from '@fluentui/react-components';
import { useMemo, useState } from 'react';
import type { ReportQuery } from '../../../src-main/contract';
import { useApi, useQuery } from '../../api/context';
import { CallError } from '../../api/transport';
import { ComplianceChart, DeliveryChart, EngagementChart } from './Charts';
import { presetRange, todayIn, type PresetId } from './dates';
import { csvBlob, downloadBlob } from './download';
import { Kpis } from './Kpis';
import { PostcardsPanel } from './PostcardsPanel';
import { ReportFilters } from './ReportFilters';
import { currentFormat } from '../../ui/format';

/** Managers' figures (what went out, what came back, compliance) and the postcard batches. */
export function ReportsScreen() {
  const [tab, setTab] = useState<'figures' | 'postcards'>('figures');
  return (
    <div style={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)', gap: 12, maxWidth: 1200 }}>
      <Title3>Reports</Title3>
      <TabList selectedValue={tab} onTabSelect={(_, d) => setTab(d.value as 'figures' | 'postcards')} size="small">
        <Tab value="figures" data-testid="reports-tab-figures">
          Figures
        </Tab>
        <Tab value="postcards" data-testid="reports-tab-postcards">
          Postcards
        </Tab>
      </TabList>
      {tab === 'figures' ? <Figures /> : <PostcardsPanel />}
    </div>
  );
}

function Figures() {
  const api = useApi();
  const settings = useQuery('settings.get', []);
  const timeZone = settings.data?.clinic?.timeZone;
  const today = useMemo(() => todayIn(timeZone), [timeZone]);
  const [preset, setPreset] = useState<PresetId | null>('last30');
  const [query, setQuery] = useState<ReportQuery>(() => ({ ...presetRange('last30', todayIn(undefined)), channel: null, kind: null }));
  // Once the clinic's zone is known, "last 30 days" means the clinic's days.
  const effective = useMemo(() => (preset ? { ...query, ...presetRange(preset, today) } : query), [preset, query, today]);
  const report = useQuery('reports.summary', [effective]);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const fieldErrors = report.error instanceof CallError ? (report.error.fields ?? {}) : {};

  const exportCsv = async () => {
    setExporting(true);
    setExportError(null);
    try {
      const r = await api.call('reports.csv', effective);
      downloadBlob(csvBlob(r.csv), r.fileName);
    } catch (e) {
      setExportError(e instanceof Error ? e.message : String(e));
    } finally {
      setExporting(false);
    }
  };

  const r = report.data;
  return (
    <div style={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)', gap: 16 }}>
      <ReportFilters
        query={effective}
        today={today}
        preset={preset}
        errors={fieldErrors}
        exporting={exporting}
        onChange={(q, p) => {
          setPreset(p);
          setQuery(q);
        }}
        onRefresh={report.reload}
        onExport={exportCsv}
      />
      {exportError && (
        <MessageBar intent="error">
          <MessageBarBody>{exportError}</MessageBarBody>
        </MessageBar>
      )}
      {report.error && !Object.keys(fieldErrors).length && (
        <MessageBar intent="error">
          <MessageBarBody>{report.error.message}</MessageBarBody>
        </MessageBar>
      )}
      {!r && report.loading && <Spinner label="Counting…" />}
      {r && (
        <div style={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)', gap: 16, opacity: report.loading ? 0.6 : 1 }} aria-busy={report.loading} data-testid="report-body">
          <div className="pl-muted" style={{ fontSize: 12 }}>
            {r.query.from} to {r.query.to}, days in {r.timeZone}. Figures as of {currentFormat().dateTime(r.generatedAt)}.
          </div>
          <Kpis r={r} />
          <DeliveryChart r={r} />
          <EngagementChart r={r} />
          <ComplianceChart r={r} />
          <ul className="pl-muted" style={{ fontSize: 12, margin: 0, paddingLeft: 18 }}>
            {r.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
