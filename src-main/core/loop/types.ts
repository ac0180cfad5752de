import type { ImportCounts, ImportEntity, ImportRunRequest, PlanSummary } from '../../contract';
import type { WaitingGroup } from './queue-state';

export interface HeadlessRunOptions {
  /** Import this folder or file first. */
  import?: Pick<ImportRunRequest, 'path' | 'profile' | 'mapping' | 'force' | 'source'>;
  /** Skip planning (send and poll only). */
  plan?: boolean;
  /** Clinic-local day to plan for; default the clinic's today. */
  asOf?: string;
  /**
   * 'all': every planned reminder is queued (a headless run is an explicit operator action).
   * 'rules': only rules set to auto-approve queue; the rest wait on the Reminders screen.
   */
  approve: 'all' | 'rules';
  /**
   * true: return once nothing more can go out now and every text sent has a final status or has
   * been polled at least once. false: keep the desk's whole loop running until `signal` aborts.
   */
  untilIdle: boolean;
  /** After going idle, keep polling up to this long for texts still without a final status. */
  settleMs?: number;
  /** Give up waiting for idle after this long (ms); 0 = never. */
  timeoutMs?: number;
  /** Work due within this long counts as "can be sent now" (ms). */
  soonMs?: number;
  signal?: AbortSignal;
  /** Stage lines and drain progress, for a terminal. */
  onProgress?: (line: string) => void;
}

export type RunEnd = 'idle' | 'timeout' | 'stopped' | 'error';

export interface RunImportPart {
  runId: number;
  status: string;
  source: string;
  files: number;
  rowsRead: number;
  errors: number;
  warnings: number;
  byEntity: Partial<Record<ImportEntity, ImportCounts>>;
  error?: string;
}

export interface RunPlanPart {
  runId: number | null;
  asOf: string;
  reminders: {
    messages: number;
    households: number;
    byChannel: Record<string, number>;
    /** Queued by this run (auto-approved rules, or all with approve 'all'). */
    queued: number;
    /** Left waiting for approval on the Reminders screen. */
    awaitingApproval: number;
    /** Households already messaged for today's step by an earlier run (not repeated). */
    alreadyPlannedHouseholds: number;
  };
  appointments: { confirmations: number; dayOf: number; alreadyPlanned: number };
  toRemind: number;
}

/** What `pawline run --json` prints. */
export interface RunReport {
  ok: boolean;
  ended: RunEnd;
  error?: { code: string; message: string };
  dataDir: string;
  timeZone: string | null;
  /** The desk clock when the run started (differs from the machine's with --now). */
  clockStart: string;
  imported: RunImportPart | null;
  planned: RunPlanPart | null;
  sent: { sms: number; email: number; total: number };
  delivered: { sms: number };
  failed: { sms: number; email: number; total: number; byCode: Record<string, number> };
  /** Texts sent in this run still without a final status (every one was polled at least once when ended is 'idle'). */
  awaitingStatus: number;
  waiting: { total: number; byReason: Record<string, number>; details: WaitingGroup[] };
  suppressed: {
    total: number;
    /** Reminder services the plan left out, by reason (one per pet and service). */
    reminders: Partial<Record<string, number>>;
    /** Appointment messages not sent, by reason. */
    appointments: Partial<Record<string, number>>;
    /** Messages withdrawn or cancelled during the run (opt-out, planner, bad address), by reason. */
    withdrawn: Record<string, number>;
    expired: number;
  };
  inbound: { received: number; byIntent: Record<string, number>; optOuts: number; optIns: number };
  /** The whole outbox by status at the end. */
  outbox: Record<string, number>;
  elapsedMs: { import: number; plan: number; send: number; total: number };
}

export type PlanForReport = Pick<PlanSummary, 'runId' | 'asOf' | 'reminders' | 'appointments' | 'toRemind'>;
