import { Badge, Button, Field, Input, Select, Spinner, Text, Title3 } from '@fluentui/react-components';
import { ArrowSyncRegular, EyeRegular } from '@fluentui/react-icons';
import { useCallback, useEffect, useState } from 'react';
import type { ColumnMapping, FilePreview, ImportPreview, ImportProgress, ImportRunSummary, WatchStatus } from '../../../src-main/contract';
import { useApi, useEvent, useQuery } from '../../api/context';
import { CallError } from '../../api/transport';
import { Banner } from '../../ui/forms';
import { FolderPicker } from './FolderPicker';
import { n } from './format';
import { MappingEditor, type Reread } from './MappingEditor';
import { PreviewPanel } from './PreviewPanel';
import { ProgressView } from './ProgressView';
import { RunHistory } from './RunHistory';
import './import.css';

type BannerState = { intent: 'success' | 'error' | 'warning' | 'info'; text: string } | null;

const WATCH_COLOR: Record<WatchStatus['state'], 'success' | 'informative' | 'warning' | 'danger'> = {
  off: 'informative',
  watching: 'success',
  waiting: 'warning',
  importing: 'warning',
  retrying: 'warning',
  error: 'danger',
};
const WATCH_LABEL: Record<WatchStatus['state'], string> = {
  off: 'not watching',
  watching: 'watching',
  waiting: 'files changing, waiting until they are complete',
  importing: 'importing',
  retrying: 'file in use, will retry',
  error: 'problem',
};

function summaryText(s: ImportRunSummary): BannerState {
  if (s.status === 'failed') return { intent: 'error', text: `Import #${s.runId} failed: ${s.error ?? 'unknown error'}` };
  if (s.status === 'unchanged') return { intent: 'info', text: `Import #${s.runId}: nothing changed since the last import.` };
  const t = s.totals;
  const problems = s.errors + s.warnings ? ` ${n(s.errors)} rows rejected, ${n(s.warnings)} warnings: see the run below.` : '';
  return { intent: s.errors ? 'warning' : 'success', text: `Import #${s.runId} done: ${n(t.inserted)} new, ${n(t.updated)} updated, ${n(t.unchanged)} unchanged, ${n(t.gone)} gone.${problems}` };
}

/**
 * Import: where the exports are, what each file was recognised as, a mapping editor for unknown
 * layouts, the running import's progress, and the history of runs with their problems.
 */
export function ImportScreen() {
  const api = useApi();
  const settings = useQuery('settings.get', [], { refreshOn: ['settings.changed'] });
  const status = useQuery('imports.status', [], { refreshOn: ['imports.watch', 'imports.finished'] });
  const runsQ = useQuery('imports.runs', [{ limit: 50 }], { refreshOn: ['imports.finished'] });
  const profilesQ = useQuery('imports.profiles', []);
  const [path, setPath] = useState('');
  const [profile, setProfile] = useState('');
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [selectedFile, setSelectedFile] = useState<string | null>(null);
  const [editor, setEditor] = useState<{ file: FilePreview; initial: ColumnMapping; key: number } | null>(null);
  const [mappingErrors, setMappingErrors] = useState<Record<string, string>>({});
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [busy, setBusy] = useState(false);
  const [banner, setBanner] = useState<BannerState>(null);
  const [selectedRun, setSelectedRun] = useState<number | null>(null);

  const folder = settings.data?.exportFolder ?? null;
  useEffect(() => {
    if (folder && !path) setPath(folder);
    // Only the first time the setting arrives.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [folder]);
  useEffect(() => {
    if (status.data?.progress) setProgress(status.data.progress);
  }, [status.data]);
  useEvent(
    'imports.progress',
    useCallback((p: ImportProgress) => setProgress(p.phase === 'done' || p.phase === 'failed' ? null : p), []),
  );
  useEvent(
    'imports.finished',
    useCallback((s: ImportRunSummary) => {
      setProgress(null);
      if (s.trigger === 'watch') setBanner(summaryText(s));
    }, []),
  );

  const act = async (fn: () => Promise<void>) => {
    setBusy(true);
    setBanner(null);
    try {
      await fn();
    } catch (e) {
      if (e instanceof CallError && e.fields) setMappingErrors(e.fields);
      setBanner({ intent: 'error', text: e instanceof CallError ? e.message : String(e) });
    } finally {
      setBusy(false);
    }
  };

  const check = () =>
    act(async () => {
      const p = await api.call('imports.preview', { path: path.trim() });
      setPreview(p);
      setEditor(null);
      setSelectedFile(p.files[0]?.path ?? null);
    });

  const runImport = (req: { path: string; profile?: string; mapping?: ColumnMapping }) =>
    act(async () => {
      setMappingErrors({});
      const s = await api.call('imports.run', req);
      setBanner(summaryText(s));
      setSelectedRun(s.runId);
      runsQ.reload();
    });

  const openEditor = (f: FilePreview) => {
    const saved = profilesQ.data?.find((p) => p.name === profile && !p.builtIn)?.mapping;
    setMappingErrors({});
    setEditor({ file: f, initial: saved ?? f.suggestedMapping ?? { columns: {} }, key: Date.now() });
  };

  const reread = (r: Reread) =>
    act(async () => {
      if (!editor) return;
      const p = await api.call('imports.preview', { path: editor.file.path, ...r });
      const f = p.files[0];
      if (f) setEditor((e) => (e ? { ...e, file: f } : e));
    });

  const watch = status.data?.watch;
  const profiles = profilesQ.data ?? [];
  const known = preview?.files.filter((f) => f.layout) ?? [];

  return (
    <div className="pl-import" data-testid="import-screen">
      <Title3>Import from the practice software</Title3>

      <div className="pl-import-card" data-testid="import-watch">
        <div className="pl-row">
          <Text weight="semibold">Export folder:</Text>
          {folder ? <code className="pl-import-path">{folder}</code> : <Text className="pl-muted">none chosen: new exports are not imported automatically.</Text>}
          {watch && (
            <Badge appearance="tint" color={WATCH_COLOR[watch.state]} data-testid="import-watch-state">
              {WATCH_LABEL[watch.state]}
            </Badge>
          )}
          {folder && (
            <Button size="small" icon={<ArrowSyncRegular />} disabled={busy} onClick={() => runImport({ path: folder })} data-testid="import-now">
              Import now
            </Button>
          )}
          {folder && (
            <Button size="small" disabled={busy} onClick={() => act(async () => void (await api.call('settings.saveGeneral', { exportFolder: null })))}>
              Stop watching
            </Button>
          )}
        </div>
        {watch?.message && <div className={watch.state === 'error' ? 'pl-warn' : 'pl-muted'}>{watch.message}</div>}
        {watch && watch.pendingFiles.length > 0 && <div className="pl-muted">Waiting for: {watch.pendingFiles.join(', ')}</div>}
      </div>

      <div className="pl-import-card">
        <div className="pl-row" style={{ alignItems: 'flex-end' }}>
          <Field label="Folder or file" style={{ flex: 1, minWidth: 320 }}>
            <Input value={path} onChange={(_, d) => setPath(d.value)} placeholder="e.g. C:\PulseExports" data-testid="import-path" onKeyDown={(e) => e.key === 'Enter' && path.trim() && check()} />
          </Field>
          <FolderPicker start={path || folder || ''} onPick={(p) => setPath(p)} />
          <Field label="Layout">
            <Select value={profile} onChange={(_, d) => setProfile(d.value)} data-testid="import-profile">
              <option value="">Detect from the headers</option>
              {profiles.map((p) => (
                <option key={p.name} value={p.name}>
                  {p.builtIn ? p.label : `${p.label} (saved mapping)`}
                </option>
              ))}
            </Select>
          </Field>
          <Button icon={<EyeRegular />} disabled={!path.trim() || busy} onClick={check} data-testid="import-check">
            Check
          </Button>
          <Button appearance="primary" disabled={!path.trim() || busy || (!!preview && known.length === 0 && !profile)} onClick={() => runImport({ path: path.trim(), profile: profile || undefined })} data-testid="import-run">
            Import
          </Button>
          <Button disabled={!path.trim() || busy || path.trim() === folder || (preview ? !preview.isFolder : false)} onClick={() => act(async () => void (await api.call('settings.saveGeneral', { exportFolder: path.trim() })))} data-testid="import-watch-folder">
            Watch this folder
          </Button>
        </div>
        {busy && !progress && <Spinner size="tiny" label="Working…" />}
        {progress && <ProgressView p={progress} />}
        <Banner banner={banner} />
      </div>

      {preview && <PreviewPanel preview={preview} selected={selectedFile} onSelect={(f) => setSelectedFile(f.path)} onMap={openEditor} />}

      {editor && (
        <div className="pl-import-card">
          <MappingEditor
            key={editor.key}
            file={editor.file}
            initial={editor.initial}
            errors={mappingErrors}
            busy={busy}
            onReread={reread}
            onCancel={() => setEditor(null)}
            onImport={(m) => runImport({ path: editor.file.path, mapping: m, profile: profile && !profiles.find((p) => p.name === profile)?.builtIn ? profile : undefined })}
            onSave={(name, m) =>
              act(async () => {
                setMappingErrors({});
                await api.call('imports.saveProfile', { name, mapping: m });
                profilesQ.reload();
                setProfile(name);
                setBanner({ intent: 'success', text: `Saved the mapping as "${name}". Choose it as the layout to import files like this one.` });
              })
            }
          />
        </div>
      )}

      {runsQ.data ? <RunHistory runs={runsQ.data} selected={selectedRun} onSelect={setSelectedRun} /> : <Spinner size="small" />}
    </div>
  );
}
