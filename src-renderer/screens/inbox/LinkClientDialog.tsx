import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, DialogTrigger, Input } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { ClientCandidate } from '../../../src-main/contract';
import { useApi } from '../../api/context';

/** Finds a household by name, pet or phone and attaches the conversation to it. */
export function LinkClientDialog({ onPick }: { onPick: (clientId: number) => void }) {
  const api = useApi();
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState('');
  const [found, setFound] = useState<ClientCandidate[]>([]);
  useEffect(() => {
    if (q.trim().length < 2) return setFound([]);
    let live = true;
    const t = setTimeout(() => void api.call('inbox.findClients', { q }).then((r) => live && setFound(r)), 150);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [api, q]);
  return (
    <Dialog open={open} onOpenChange={(_, d) => setOpen(d.open)}>
      <DialogTrigger disableButtonEnhancement>
        <Button size="small" data-testid="link-client">Link to client…</Button>
      </DialogTrigger>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>Link this conversation to a client</DialogTitle>
          <DialogContent>
            <Input autoFocus placeholder="Name, pet or phone" value={q} onChange={(_, d) => setQ(d.value)} style={{ width: '100%' }} data-testid="link-search" />
            <ul className="pl-candidates">
              {found.map((c) => (
                <li key={c.id}>
                  <Button
                    size="small"
                    onClick={() => {
                      setOpen(false);
                      onPick(c.id);
                    }}
                  >
                    {c.name}
                  </Button>{' '}
                  <span className="pl-muted">
                    {c.pets.join(', ')} {c.phones.join(', ')}
                  </span>
                </li>
              ))}
              {q.trim().length >= 2 && found.length === 0 && <li className="pl-muted">No client matches.</li>}
            </ul>
          </DialogContent>
          <DialogActions>
            <DialogTrigger disableButtonEnhancement>
              <Button>Cancel</Button>
            </DialogTrigger>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
