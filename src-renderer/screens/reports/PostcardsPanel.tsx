import { Button, MessageBar, MessageBarBody, Spinner, Subtitle2, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowDownloadRegular, PrintRegular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import type { PostcardGenerateResult } from '../../../src-main/contract';
import { useApi, useQuery } from '../../api/context';
import { base64ToBlob, downloadBlob } from './download';
import { num, plural } from './format';
import { currentFormat } from '../../ui/format';

const useStyles = makeStyles({
  section: { border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, padding: '12px 16px', display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)', gap: '10px' },
  big: { fontSize: tokens.fontSizeHero700, fontWeight: tokens.fontWeightSemibold, lineHeight: tokens.lineHeightHero700 },
});

/**
 * Postcards for households no text or email reaches: the planner queues them, this panel prints
 * them in batches (two 6 x 4 in cards per Letter page) and lists the ones that cannot be mailed.
 */
export function PostcardsPanel() {
  const s = useStyles();
  const api = useApi();
  const info = useQuery('system.info', []);
  const pending = useQuery('postcards.pending', [], { refreshOn: ['postcards.generated'] });
  // The outbox changes many times a second while texts drain; the queue of postcards is re-read at most every few seconds.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = api.on('outbox.changed', () => {
      timer ??= setTimeout(() => {
        timer = null;
        pending.reload();
      }, 3000);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [api, pending.reload]);
  const batches = useQuery('postcards.batches', [{ limit: 50 }], { refreshOn: ['postcards.generated'] });
  const [busy, setBusy] = useState<string | null>(null);
  const [result, setResult] = useState<PostcardGenerateResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  const download = async (id: string) => {
    const f = await api.call('postcards.file', { id });
    downloadBlob(base64ToBlob(f.base64, 'application/pdf'), f.fileName);
  };
  const run = async (key: string, fn: () => Promise<void>) => {
    setBusy(key);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };
  const generate = () =>
    run('generate', async () => {
      const r = await api.call('postcards.generate');
      setResult(r);
      pending.reload();
      batches.reload();
      if (r.batch) await download(r.batch.id);
    });

  const p = pending.data;
  const dir = info.data ? `${info.data.dataDir.replace(/[\\/]+$/, '')}${info.data.dataDir.includes('\\') ? '\\' : '/'}postcards` : null;
  return (
    <div style={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)', gap: 16 }}>
      <section className={s.section} aria-labelledby="pc-ready-title">
        <Subtitle2 id="pc-ready-title">Ready to print</Subtitle2>
        {!p && pending.loading && <Spinner size="tiny" label="Checking the queue…" />}
        {p && (
          <>
            <div className="pl-row" style={{ gap: 24 }}>
              <div>
                <div className={s.big} data-testid="postcards-ready">
                  {num(p.ready)}
                </div>
                <div className="pl-muted">postcards due now</div>
              </div>
              <div>
                <div className={s.big}>{num(p.problems.length)}</div>
                <div className="pl-muted">cannot be mailed yet</div>
              </div>
              <div>
                <div className={s.big}>{num(p.later)}</div>
                <div className="pl-muted">due on a later day</div>
              </div>
            </div>
            <div className="pl-row">
              <Button appearance="primary" icon={<PrintRegular />} disabled={!p.ready || busy !== null} onClick={generate} data-testid="postcards-generate">
                {busy === 'generate' ? 'Printing…' : `Generate batch (${num(p.ready)})`}
              </Button>
              <span className="pl-muted">
                Letter paper, two 6 × 4 in postcards per page (2-up postcard stock, or plain card stock cut at the marks). The cards are marked sent.
              </span>
            </div>
          </>
        )}
        {result && (
          <MessageBar intent={result.batch ? 'success' : 'info'} data-testid="postcards-result">
            <MessageBarBody>
              {result.batch
                ? `Batch ${result.batch.id}: ${plural(result.batch.cards, 'postcard')} on ${plural(result.batch.pages, 'page')}. The PDF is downloading${dir ? `; a copy is kept in ${dir}` : ''}.`
                : 'Nothing was ready to print.'}
              {result.problems.length ? ` ${num(result.problems.length)} could not be printed: see below.` : ''}
            </MessageBarBody>
          </MessageBar>
        )}
        {error && (
          <MessageBar intent="error">
            <MessageBarBody>{error}</MessageBarBody>
          </MessageBar>
        )}
      </section>

      {p && p.problems.length > 0 && (
        <section className={s.section} aria-labelledby="pc-problems-title">
          <Subtitle2 id="pc-problems-title">Cannot be mailed</Subtitle2>
          <div className="pl-muted">
            These stay in the Outbox, waiting. Fix the address in the practice software and they print with the next batch after the import; or cancel them in the Outbox.
          </div>
          <table className="pl-table" data-testid="postcards-problems">
            <thead>
              <tr>
                <th scope="col">Client</th>
                <th scope="col">What is wrong</th>
              </tr>
            </thead>
            <tbody>
              {p.problems.map((x) => (
                <tr key={x.messageId}>
                  <td>{x.clientName ?? (x.clientId ? `Client #${x.clientId}` : 'No client')}</td>
                  <td>{x.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      <section className={s.section} aria-labelledby="pc-batches-title">
        <Subtitle2 id="pc-batches-title">Printed batches</Subtitle2>
        {batches.data && batches.data.length === 0 && <div className="pl-muted">No batches yet.</div>}
        {batches.data && batches.data.length > 0 && (
          <table className="pl-table" data-testid="postcards-batches">
            <thead>
              <tr>
                <th scope="col">Batch</th>
                <th scope="col">Printed</th>
                <th scope="col">Postcards</th>
                <th scope="col">Pages</th>
                <th scope="col">PDF</th>
              </tr>
            </thead>
            <tbody>
              {batches.data.map((b) => (
                <tr key={b.id}>
                  <td>{b.id}</td>
                  <td>{currentFormat().dateTime(b.createdAt)}</td>
                  <td>{num(b.cards)}</td>
                  <td>{num(b.pages)}</td>
                  <td>
                    <Button
                      size="small"
                      icon={<ArrowDownloadRegular />}
                      disabled={busy !== null}
                      onClick={() => run(`dl-${b.id}`, () => download(b.id))}
                      data-testid={`postcards-download-${b.id}`}
                    >
                      Download
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
