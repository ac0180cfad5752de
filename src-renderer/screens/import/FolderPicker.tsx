import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, DialogTrigger, Spinner } from '@fluentui/react-components';
import { DocumentRegular, FolderRegular, ArrowUpRegular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import type { BrowseResult } from '../../../src-main/contract';
import { useApi } from '../../api/context';
import { CallError } from '../../api/transport';
import { bytes } from './format';

/**
 * Picks a folder or file on the hub PC (where the PIMS writes its exports), through the API so it
 * works the same from the Electron window and from a browser desk.
 */
export function FolderPicker({ start, onPick }: { start: string; onPick: (path: string) => void }) {
  const api = useApi();
  const [open, setOpen] = useState(false);
  const [at, setAt] = useState<string>(start);
  const [list, setList] = useState<BrowseResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    let live = true;
    setError(null);
    api
      .call('imports.browse', { path: at || undefined })
      .then((r) => live && setList(r))
      .catch((e) => live && setError(e instanceof CallError ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [api, at, open]);

  const choose = (p: string) => {
    onPick(p);
    setOpen(false);
  };

  return (
    <Dialog open={open} onOpenChange={(_, d) => setOpen(d.open)}>
      <DialogTrigger disableButtonEnhancement>
        <Button icon={<FolderRegular />} data-testid="import-browse">
          Browse…
        </Button>
      </DialogTrigger>
      <DialogSurface style={{ maxWidth: 720 }}>
        <DialogBody>
          <DialogTitle>Choose the export folder</DialogTitle>
          <DialogContent>
            {error && <div className="pl-warn">{error}</div>}
            {!list && !error && <Spinner size="small" />}
            {list && (
              <>
                <div className="pl-row" style={{ marginBottom: 8 }}>
                  <Button size="small" icon={<ArrowUpRegular />} disabled={!list.parent} onClick={() => list.parent && setAt(list.parent)}>
                    Up
                  </Button>
                  <code className="pl-import-path">{list.path}</code>
                </div>
                <div className="pl-import-browse" data-testid="import-browse-list">
                  {list.entries.length === 0 && <div className="pl-muted">This folder is empty.</div>}
                  {list.entries.map((e) => (
                    <div key={e.path} className="pl-import-browse-row" onDoubleClick={() => (e.dir ? setAt(e.path) : choose(e.path))}>
                      {e.dir ? <FolderRegular /> : <DocumentRegular />}
                      <button type="button" className="pl-linkish" onClick={() => (e.dir ? setAt(e.path) : choose(e.path))}>
                        {e.name}
                      </button>
                      <span className="pl-muted">{e.dir ? '' : bytes(e.bytes ?? 0)}</span>
                    </div>
                  ))}
                </div>
              </>
            )}
          </DialogContent>
          <DialogActions>
            <DialogTrigger disableButtonEnhancement>
              <Button>Cancel</Button>
            </DialogTrigger>
            <Button appearance="primary" disabled={!list} onClick={() => list && choose(list.path)} data-testid="import-browse-choose">
              Use this folder
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
