import { Button, Spinner, Text, Title3 } from '@fluentui/react-components';
import { CheckmarkCircleFilled, CircleRegular, ArrowForwardRegular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import type { SetupState, SetupStepId } from '../../../src-main/contract';
import { useApi, useQuery } from '../../api/context';
import { ClinicForm } from '../settings/ClinicForm';
import { DEFAULT_CLINIC, DEFAULT_SMTP, DEFAULT_TWILIO } from '../settings/defaults';
import { SmtpForm } from '../settings/SmtpForm';
import { TwilioForm } from '../settings/TwilioForm';
import { FinishStep } from './FinishStep';
import { PimsStep } from './PimsStep';
import { WindowStep } from './WindowStep';
import { postponeSetup } from '../visible';
import './setup.css';

type Page = SetupStepId | 'finish';

const TITLES: Record<Page, string> = {
  clinic: 'Clinic profile and time zone',
  pims: 'Practice-management export',
  twilio: 'Texting (Twilio)',
  smtp: 'Email (SMTP)',
  window: 'Send window',
  finish: 'Finish',
};
const ORDER: Page[] = ['clinic', 'pims', 'twilio', 'smtp', 'window', 'finish'];

const WHY: Partial<Record<Page, string>> = {
  clinic: 'Every message names the clinic, and every schedule runs on its time zone.',
  pims: 'Pawline reads the clients, pets, services due and appointments your practice-management system exports.',
  twilio: "Texts go out from the clinic's own Twilio number. Skip this for now and planned texts wait in the outbox, marked 'not connected'; nothing is lost.",
  smtp: "Emails go out from the clinic's own mailbox. Skip this for now and planned emails wait in the outbox, marked 'not connected'.",
  window: 'Messages are only sent inside this window, clinic time; the law allows 08:00–21:00 at most.',
};

/**
 * First-run setup: five skippable steps, then Finish. The wizard resumes at the first step that
 * is neither done nor skipped (the core keeps that state), so closing it loses nothing.
 */
export function SetupScreen() {
  const api = useApi();
  const { data: state, setData: setState } = useQuery('setup.state', [], { refreshOn: ['settings.changed', 'imports.finished'] });
  const { data: settings } = useQuery('settings.get', [], { refreshOn: ['settings.changed'] });
  const [page, setPage] = useState<Page | null>(null);
  const [busy, setBusy] = useState(false);
  // Resume where the desk left off, once the state is known.
  useEffect(() => {
    if (state && page === null) setPage(state.next);
  }, [state, page]);
  if (!state || !settings || !page) return <Spinner label="Loading setup…" />;

  const index = ORDER.indexOf(page);
  const goNext = (s: SetupState = state) => {
    // After a step, go to the next one still to do (or the one after this, when later ones are handled).
    const after = ORDER.slice(index + 1).find((p) => p === 'finish' || s.steps.find((x) => x.id === p)?.state === 'todo');
    setPage(after ?? 'finish');
  };
  const skip = async () => {
    if (page === 'finish') return;
    setBusy(true);
    try {
      const s = await api.call('setup.skip', { step: page });
      setState(s);
      goNext(s);
    } finally {
      setBusy(false);
    }
  };
  const advanceAfterSave = async () => {
    const s = await api.call('setup.state');
    setState(s);
    goNext(s);
  };

  const { authToken, apiKeySecret, ...tw } = settings.twilio ?? { ...DEFAULT_TWILIO, authToken: { set: false }, apiKeySecret: { set: false } };
  const { password, ...sm } = settings.smtp ?? { ...DEFAULT_SMTP, password: { set: false } };

  return (
    <div className="pl-setup" data-testid="setup-wizard">
      <div className="pl-row" style={{ justifyContent: 'space-between' }}>
        <Title3>Set up Pawline</Title3>
        <Button appearance="subtle" data-testid="setup-later" onClick={postponeSetup}>
          Set up later
        </Button>
      </div>
      <ol className="pl-setup-steps" aria-label="Setup steps">
        {ORDER.map((p, i) => {
          const st = p === 'finish' ? null : state.steps.find((s) => s.id === p);
          return (
            <li key={p}>
              <button type="button" className={p === page ? 'current' : ''} aria-current={p === page ? 'step' : undefined} data-testid={`setup-step-${p}`} data-state={st?.state ?? 'finish'} onClick={() => setPage(p)}>
                {st?.state === 'done' ? <CheckmarkCircleFilled className="done" /> : p === 'finish' ? <ArrowForwardRegular /> : <CircleRegular />}
                <span>
                  {i + 1}. {TITLES[p]}
                  {st?.state === 'skipped' && <em> (skipped)</em>}
                </span>
              </button>
            </li>
          );
        })}
      </ol>

      <section className="pl-setup-body" aria-label={TITLES[page]} data-testid={`setup-page-${page}`}>
        {WHY[page] && <Text className="pl-muted">{WHY[page]}</Text>}
        {page === 'clinic' && <ClinicForm key="clinic" initial={settings.clinic ?? DEFAULT_CLINIC} onSaved={() => void advanceAfterSave()} />}
        {page === 'pims' && <PimsStep folder={settings.exportFolder} onDone={() => void advanceAfterSave()} />}
        {page === 'twilio' && <TwilioForm key="twilio" initial={tw} tokenSet={authToken.set} keySecretSet={apiKeySecret.set} onSaved={() => void advanceAfterSave()} />}
        {page === 'smtp' && <SmtpForm key="smtp" initial={sm} passwordSet={password.set} onSaved={() => void advanceAfterSave()} />}
        {page === 'window' && <WindowStep settings={settings} onSaved={(s) => { setState(s); goNext(s); }} />}
        {page === 'finish' && <FinishStep state={state} onGoTo={setPage} />}
      </section>

      <div className="pl-row pl-setup-footer">
        <Button disabled={index === 0} data-testid="setup-back" onClick={() => setPage(ORDER[index - 1]!)}>
          Back
        </Button>
        {page !== 'finish' && (
          <>
            <Button disabled={busy} data-testid="setup-skip" onClick={() => void skip()}>
              Skip this step
            </Button>
            {state.steps.find((s) => s.id === page)?.state === 'done' && (
              <Button appearance="primary" data-testid="setup-next" onClick={() => goNext()}>
                Next
              </Button>
            )}
          </>
        )}
      </div>
    </div>
  );
}
