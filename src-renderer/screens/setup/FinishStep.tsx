import { Button, Link, Text } from '@fluentui/react-components';
import type { SetupState, SetupStepId } from '../../../src-main/contract';
import { useApi } from '../../api/context';
import { Banner, useForm } from '../../ui/forms';

const LABEL: Record<SetupStepId, string> = { clinic: 'Clinic profile', pims: 'Practice-management export', twilio: 'Texting (Twilio)', smtp: 'Email (SMTP)', window: 'Send window' };

/** What is set up and what is not, then Finish. Anything skipped can be done later in Settings. */
export function FinishStep({ state, onGoTo }: { state: SetupState; onGoTo: (step: SetupStepId) => void }) {
  const api = useApi();
  const form = useForm({});
  const open = state.steps.filter((s) => s.state !== 'done');
  return (
    <div className="pl-setup-card">
      <table className="pl-table" data-testid="setup-summary">
        <tbody>
          {state.steps.map((s) => (
            <tr key={s.id} data-state={s.state}>
              <td>{LABEL[s.id]}</td>
              <td>{s.state === 'done' ? 'Done' : s.state === 'skipped' ? 'Skipped' : 'Not done'}</td>
              <td>
                {s.summary}
                {s.state !== 'done' && (
                  <>
                    {' '}
                    <Link onClick={() => onGoTo(s.id)}>Set up now</Link>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {open.length > 0 && (
        <Text className="pl-muted">
          You can finish now and complete the rest in Settings. Until texting and email are set up, planned messages wait in the outbox marked "not connected"; none are lost.
        </Text>
      )}
      <Banner banner={form.banner} />
      <div className="pl-row">
        <Button
          appearance="primary"
          data-testid="setup-finish"
          disabled={form.busy}
          onClick={() => form.run(async () => {
            await api.call('setup.finish');
            location.hash = '#/start';
          })}
        >
          Finish
        </Button>
      </div>
    </div>
  );
}
