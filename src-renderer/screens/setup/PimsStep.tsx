import { Button, Field, Input, ProgressBar, Text } from '@fluentui/react-components';
import { useCallback, useState } from 'react';
import type { ImportPreview, ImportProgress, ImportRunSummary } from '../../../src-main/contract';
import { useApi, useEvent } from '../../api/context';
import { CallError } from '../../api/transport';
import { Banner } from '../../ui/forms';
import { currentFormat } from '../../ui/format';

type Busy = 'check' | 'watch' | 'import' | null;

const n = (x: number) => currentFormat().num(x);

/**
 * Where the practice-management exports are: a folder Pawline watches (the daily loop), or a
 * one-off import. "Check" shows which export layout each file was recognised as.
 */
export function PimsStep({ folder, onDone }: { folder: string | null; onDone: () => void }) {
  const api = useApi();
  const [path, setPath] = useState(folder ?? '');
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [summary, setSummary] = useState<ImportRunSummary | null>(null);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [banner, setBanner] = useState<{ intent: 'success' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState<Busy>(null);
  useEvent(
    'imports.progress',
    useCallback((p: ImportProgress) => setProgress(p), []),
  );

  const run = async (what: Busy, fn: () => Promise<void>) => {
    setBusy(what);
    setBanner(null);
    try {
      await fn();
    } catch (e) {
      setBanner({ intent: 'error', text: e instanceof CallError ? e.message : String(e) });
    } finally {
      setBusy(null);
      setProgress(null);
    }
  };
  const recognised = preview?.files.filter((f) => f.layout) ?? [];

  return (
    <div className="pl-setup-card">
      <Field label="Export folder (or one export file)" hint="The folder your practice-management system saves its exports to, e.g. C:\PulseExports">
        <Input data-testid="setup-pims-path" value={path} onChange={(_, d) => { setPath(d.value); setPreview(null); setSummary(null); }} />
      </Field>
      <div className="pl-row">
        <Button data-testid="setup-pims-check" disabled={!path.trim() || !!busy} onClick={() => run('check', async () => setPreview(await api.call('imports.preview', { path: path.trim() })))}>
          Check
        </Button>
        <Button
          appearance="primary"
          data-testid="setup-pims-watch"
          disabled={!preview?.isFolder || !recognised.length || !!busy}
          onClick={() => run('watch', async () => { await api.call('settings.saveGeneral', { exportFolder: preview!.path }); onDone(); })}
        >
          Watch this folder
        </Button>
        <Button
          data-testid="setup-pims-import"
          disabled={!recognised.length || !!busy}
          onClick={() => run('import', async () => setSummary(await api.call('imports.run', { path: preview!.path })))}
        >
          Import once now
        </Button>
      </div>
      {preview && (
        <table className="pl-table" data-testid="setup-pims-files">
          <thead>
            <tr><th>File</th><th>Recognised as</th><th>Columns</th></tr>
          </thead>
          <tbody>
            {preview.files.map((f) => (
              <tr key={f.path}>
                <td>{f.name}</td>
                <td>{f.layout ? f.layout.label : <span className="pl-warn">{f.problem ?? 'Not recognised: map its columns on the Import screen'}</span>}</td>
                <td>{f.headers.length}</td>
              </tr>
            ))}
            {!preview.files.length && (
              <tr><td colSpan={3}>No export files here{preview.ignored.length ? ` (${preview.ignored.length} other files ignored)` : ''}.</td></tr>
            )}
          </tbody>
        </table>
      )}
      {busy === 'import' && progress && (
        <div>
          <Text>{progress.file ?? 'Importing'}: {n(progress.rows)} rows</Text>
          <ProgressBar value={progress.bytesTotal ? progress.bytesDone / progress.bytesTotal : undefined} />
        </div>
      )}
      {summary && (
        <div data-testid="setup-pims-summary">
          <Text>
            {summary.status === 'failed'
              ? `The import failed: ${summary.error ?? 'see Clients > Import history'}.`
              : `Imported ${n(summary.byEntity.clients?.inserted ?? 0)} clients, ${n(summary.byEntity.patients?.inserted ?? 0)} pets, ${n(summary.byEntity.reminders?.inserted ?? 0)} services due and ${n(summary.byEntity.appointments?.inserted ?? 0)} appointments` +
                (summary.errors ? ` (${n(summary.errors)} rows had problems)` : '') + '.'}
          </Text>
          <div className="pl-row">
            <Button appearance="primary" data-testid="setup-pims-continue" onClick={onDone}>Continue</Button>
          </div>
        </div>
      )}
      <Banner banner={banner} />
    </div>
  );
}
