import { Button, MessageBar, MessageBarBody } from '@fluentui/react-components';
import type { SettingsView, SetupState } from '../../../src-main/contract';
import { useApi } from '../../api/context';
import { Banner, TextField, useForm } from '../../ui/forms';

interface WindowForm {
  quietHours: { start: string; end: string };
  planTime: string;
}

/** The send window (clinic quiet hours) and when the daily plan runs. */
export function WindowStep({ settings, onSaved }: { settings: SettingsView; onSaved: (s: SetupState) => void }) {
  const api = useApi();
  const form = useForm<WindowForm>({ quietHours: settings.clinic?.quietHours ?? { start: '09:00', end: '20:00' }, planTime: settings.planTime });
  if (!settings.clinic)
    return (
      <MessageBar intent="warning" data-testid="setup-window-needs-clinic">
        <MessageBarBody>The send window belongs to the clinic profile: fill in step 1 first, or skip this step (messages then go out 09:00–20:00 clinic time).</MessageBarBody>
      </MessageBar>
    );
  return (
    <div className="pl-setup-card">
      <div className="pl-row">
        <TextField form={form} path="quietHours.start" label="Send from" />
        <TextField form={form} path="quietHours.end" label="Send until" />
        <TextField form={form} path="planTime" label="Plan the day's messages at" hint="Clinic time, e.g. 07:00" />
      </div>
      <Banner banner={form.banner} />
      <div className="pl-row">
        <Button appearance="primary" data-testid="setup-window-save" disabled={form.busy} onClick={() => form.run(async () => onSaved(await api.call('setup.saveWindow', form.value)))}>
          Save send window
        </Button>
      </div>
    </div>
  );
}
