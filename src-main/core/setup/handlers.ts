/**
 * First-run setup state. A step counts as done when its settings exist (so configuring from the
 * Settings screen or the CLI also moves the wizard on); skips and the send-window confirmation
 * are kept in one small settings document so a closed wizard resumes where it was left.
 */
import type { Handlers, SetupState, SetupStep, SetupStepId } from '../../contract';
import type { Db } from '../db/open';
import { clinicSchema, generalSchema, parseOrThrow } from '../settings/schema';
import type { SettingsStore } from '../settings/store';
import { ApiError } from '../shared/errors';
import type { EventBus } from '../shared/events';

const STEPS: SetupStepId[] = ['clinic', 'pims', 'twilio', 'smtp', 'window'];
const PROGRESS_KEY = 'setup.progress';

interface Progress {
  skipped: SetupStepId[];
  windowSaved: boolean;
}

type SetupHandlers = Pick<Handlers, 'setup.state' | 'setup.skip' | 'setup.saveWindow' | 'setup.finish' | 'setup.reopen'>;

export function setupHandlers(db: Db, settings: SettingsStore, events: EventBus): SetupHandlers {
  const lastImport = db.prepare<[], { n: number }>("SELECT COUNT(*) n FROM import_runs WHERE status IN ('ok','unchanged')");
  const progress = (): Progress => ({ skipped: [], windowSaved: false, ...(settings.getDoc<Partial<Progress>>(PROGRESS_KEY) ?? {}) });
  const saveProgress = (p: Progress) => settings.setDoc(PROGRESS_KEY, p);

  const stepOf = (id: SetupStepId, p: Progress): SetupStep => {
    const view = settings.view();
    let done = false;
    let summary = '';
    switch (id) {
      case 'clinic':
        done = !!view.clinic;
        summary = view.clinic ? `${view.clinic.name}, ${view.clinic.timeZone}` : 'Not set up';
        break;
      case 'pims': {
        const imported = lastImport.get()!.n > 0;
        done = !!view.exportFolder || imported;
        summary = view.exportFolder ? `Watching ${view.exportFolder}` : imported ? 'Imported once' : 'No export folder and no import yet';
        break;
      }
      case 'twilio':
        done = !!view.twilio;
        summary = view.twilio ? `Texts from ${view.twilio.fromNumber || view.twilio.messagingServiceSid}` : 'Not set up: texts wait in the outbox';
        break;
      case 'smtp':
        done = !!view.smtp;
        summary = view.smtp ? `Email from ${view.smtp.fromAddress} via ${view.smtp.host}` : 'Not set up: emails wait in the outbox';
        break;
      case 'window': {
        done = p.windowSaved;
        const q = view.clinic?.quietHours;
        summary = `${q ? `Messages go out ${q.start}–${q.end}` : 'Messages go out 09:00–20:00'}, daily plan at ${view.planTime}`;
        break;
      }
    }
    return { id, state: done ? 'done' : p.skipped.includes(id) ? 'skipped' : 'todo', summary };
  };

  const state = (): SetupState => {
    const p = progress();
    const steps = STEPS.map((id) => stepOf(id, p));
    return { complete: settings.getGeneral('setupComplete'), steps, next: steps.find((s) => s.state === 'todo')?.id ?? 'finish' };
  };
  const changed = () => events.emit('settings.changed', settings.view());

  return {
    'setup.state': () => state(),
    'setup.skip': ({ step }) => {
      if (!STEPS.includes(step)) throw new ApiError('validation', `Unknown setup step "${String(step).slice(0, 20)}".`);
      const p = progress();
      if (!p.skipped.includes(step)) saveProgress({ ...p, skipped: [...p.skipped, step] });
      return state();
    },
    'setup.saveWindow': ({ quietHours, planTime }) => {
      const clinic = settings.clinic();
      if (!clinic) throw new ApiError('needs-clinic', 'Set up the clinic profile first: the send window belongs to it (step 1).');
      const nextClinic = parseOrThrow(clinicSchema, { ...clinic, quietHours }, 'Send window');
      const general = parseOrThrow(generalSchema, { planTime }, 'Send window');
      db.transaction(() => {
        settings.saveClinic(nextClinic);
        settings.setGeneral({ planTime: general.planTime });
        saveProgress({ ...progress(), windowSaved: true });
      })();
      changed();
      return state();
    },
    'setup.finish': () => {
      settings.setGeneral({ setupComplete: true });
      changed();
      return state();
    },
    'setup.reopen': () => {
      settings.setGeneral({ setupComplete: false });
      saveProgress({ ...progress(), skipped: [] });
      changed();
      return state();
    },
  };
}
