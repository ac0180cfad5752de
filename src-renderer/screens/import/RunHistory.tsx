import { Badge, Spinner, Subtitle2, Text } from '@fluentui/react-components';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import type { ImportProblemView, ImportRunSummary } from '../../../src-main/contract';
import { useApi } from '../../api/context';
import { duration, n, STATUS_COLOR, when } from './format';
import { label, lowerLabel } from '../../ui/labels';

const PAGE = 500;
const ROW = 28;

/** A run's row-level problems: file, line and reason; virtualised, a broken file can have thousands. */
function Problems({ run }: { run: ImportRunSummary }) {
  const api = useApi();
  const [items, setItems] = useState<ImportProblemView[] | null>(null);
  const [total, setTotal] = useState(0);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let live = true;
    setItems(null);
    api.call('imports.problems', { runId: run.runId, limit: PAGE }).then((r) => {
      if (!live) return;
      setItems(r.items);
      setTotal(r.total);
    });
    return () => {
      live = false;
    };
  }, [api, run.runId]);
  const v = useVirtualizer({ count: items?.length ?? 0, getScrollElement: () => ref.current, estimateSize: () => ROW, overscan: 10 });

  if (!items) return <Spinner size="tiny" />;
  if (items.length === 0) return <Text className="pl-muted" data-testid="import-no-problems">No problems in this run.</Text>;
  return (
    <div>
      <Text>
        {n(total)} problem{total === 1 ? '' : 's'}
        {total > items.length ? ` (first ${n(items.length)} shown)` : ''}
      </Text>
      <div ref={ref} className="pl-import-problems" style={{ height: Math.min(240, items.length * ROW + 4) }} data-testid="import-problems">
        <div style={{ height: v.getTotalSize(), position: 'relative' }}>
          {v.getVirtualItems().map((it) => {
            const p = items[it.index];
            return (
              <div key={it.key} className="pl-import-problem" style={{ transform: `translateY(${it.start}px)`, height: ROW }}>
                <Badge size="small" appearance="tint" color={p.severity === 'error' ? 'danger' : 'warning'}>
                  {p.severity}
                </Badge>
                <span className="pl-import-where">
                  {p.file}
                  {p.line ? `:${p.line}` : ''}
                </span>
                <span title={p.reason}>{p.reason}</span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

/** Every import, newest first, with files, counts and problems. */
export function RunHistory({ runs, selected, onSelect }: { runs: ImportRunSummary[]; selected: number | null; onSelect: (id: number) => void }) {
  const run = runs.find((r) => r.runId === selected) ?? null;
  return (
    <div className="pl-import-card">
      <Subtitle2>Import history</Subtitle2>
      {runs.length === 0 ? (
        <Text className="pl-muted">No imports yet.</Text>
      ) : (
        <div className="pl-import-scroll" style={{ maxHeight: 260 }}>
          <table className="pl-table" data-testid="import-runs">
            <thead>
              <tr>
                <th>#</th>
                <th>When</th>
                <th>Status</th>
                <th>Source</th>
                <th>How</th>
                <th>Files</th>
                <th>New</th>
                <th>Updated</th>
                <th>Unchanged</th>
                <th>Rejected</th>
                <th>Gone</th>
                <th>Problems</th>
                <th>Time</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.runId} onClick={() => onSelect(r.runId)} className={r.runId === selected ? 'pl-import-selected' : ''} style={{ cursor: 'pointer' }} data-testid={`import-run-${r.runId}`}>
                  <td>{r.runId}</td>
                  <td>{when(r.startedAt)}</td>
                  <td>
                    <Badge appearance="filled" color={STATUS_COLOR[r.status]}>
                      {label(r.status)}
                    </Badge>
                  </td>
                  <td>{r.source}</td>
                  <td>{r.trigger === 'watch' ? 'folder watch' : r.trigger}</td>
                  <td>
                    {r.files.filter((f) => !f.skippedUnchanged).length}/{r.files.length}
                  </td>
                  <td>{n(r.totals.inserted)}</td>
                  <td>{n(r.totals.updated)}</td>
                  <td>{n(r.totals.unchanged)}</td>
                  <td>{n(r.totals.rejected)}</td>
                  <td>{n(r.totals.gone)}</td>
                  <td>{r.errors + r.warnings ? `${n(r.errors)} / ${n(r.warnings)}` : ''}</td>
                  <td>{duration(r.durationMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {run && (
        <div className="pl-import-run" data-testid="import-run-detail">
          <Subtitle2>
            Run #{run.runId}: {lowerLabel(run.status)}
          </Subtitle2>
          {run.error && <div className="pl-warn">{run.error}</div>}
          <table className="pl-table">
            <thead>
              <tr>
                <th>File</th>
                <th>Layout</th>
                <th>Rows</th>
                <th>Content hash</th>
              </tr>
            </thead>
            <tbody>
              {run.files.map((f) => (
                <tr key={f.path}>
                  <td title={f.path}>{f.name}</td>
                  <td>{f.layout}</td>
                  <td>{f.skippedUnchanged ? 'unchanged, skipped' : n(f.rows)}</td>
                  <td>
                    <code>{f.sha256.slice(0, 12)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {Object.keys(run.byEntity).length > 0 && (
            <table className="pl-table">
              <thead>
                <tr>
                  <th>Records</th>
                  <th>New</th>
                  <th>Updated</th>
                  <th>Unchanged</th>
                  <th>Rejected</th>
                  <th>Gone</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(run.byEntity).map(([e, c]) => (
                  <tr key={e}>
                    <td>{e}</td>
                    <td>{n(c.inserted)}</td>
                    <td>{n(c.updated)}</td>
                    <td>{n(c.unchanged)}</td>
                    <td>{n(c.rejected)}</td>
                    <td>{n(c.gone)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Problems run={run} />
        </div>
      )}
    </div>
  );
}
