import type { Db } from '../../../src-main/core/db/open';
import type { Core } from '../../../src-main/core';
import { startTwilioSim, type TwilioSim } from '../../doubles/twilio-sim';
import { testCore } from '../../helpers/core';
import { CLINIC } from '../../helpers/settings-fixtures';
import { fixedClock } from '../../../src-main/core/shared/clock';
import type { InboundOptions } from '../../../src-main/core/inbound';

/** The clinic's texting number in these tests. */
export const CLINIC_NUMBER = '+12065550100';

let seq = 0;

/** Inserts PIMS rows directly (what an import would write), for inbox tests. */
export function pims(db: Db) {
  const now = new Date().toISOString();
  return {
    client(o: { first: string; last: string; phones?: { value: string; type?: string; smsCapable?: boolean }[] }) {
      const id = Number(
        db
          .prepare("INSERT INTO clients (source, pims_id, first_name, last_name, row_hash, updated_at) VALUES ('test', ?, ?, ?, 'h', ?)")
          .run(`C${++seq}`, o.first, o.last, now).lastInsertRowid,
      );
      (o.phones ?? []).forEach((p, i) =>
        db
          .prepare(
            "INSERT INTO contact_points (client_id, kind, position, raw, value, phone_type, valid, sms_capable, nanp_key) VALUES (?, 'phone', ?, ?, ?, ?, 1, ?, ?)",
          )
          .run(id, i, p.value, p.value, p.type ?? 'cell', p.smsCapable === false ? 0 : 1, p.value.replace(/^\+1/, '')),
      );
      return id;
    },
    pet(clientId: number, name: string, species = 'Canine') {
      return Number(
        db
          .prepare("INSERT INTO patients (source, pims_id, client_id, name, species, row_hash, updated_at) VALUES ('test', ?, ?, ?, ?, 'h', ?)")
          .run(`P${++seq}`, clientId, name, species, now).lastInsertRowid,
      );
    },
    /** startLocal 'YYYY-MM-DDTHH:MM' in America/Los_Angeles; startUtc given explicitly. */
    appointment(o: { clientId: number; patientId: number; startLocal: string; startUtc: string; confirm?: string; status?: string; reason?: string }) {
      return Number(
        db
          .prepare(
            "INSERT INTO appointments (source, pims_id, client_id, patient_id, start_local, start_utc, duration_min, reason, status, confirm_state, row_hash, updated_at) VALUES ('test', ?, ?, ?, ?, ?, 30, ?, ?, ?, 'h', ?)",
          )
          .run(`A${++seq}`, o.clientId, o.patientId, o.startLocal, o.startUtc, o.reason ?? 'Exam', o.status ?? 'Scheduled', o.confirm ?? 'none', now).lastInsertRowid,
      );
    },
    /** An outbound text as the outbox would hold it after sending. */
    sentText(o: { clientId: number; to: string; at: string; kind?: string; appointmentId?: number; meta?: Record<string, unknown>; status?: string }) {
      return Number(
        db
          .prepare(
            `INSERT INTO messages (dedupe_key, channel, kind, priority, client_id, appointment_id, to_address, body, status, not_before, created_by, meta, created_at, updated_at, sent_at)
             VALUES (?, 'sms', ?, 2, ?, ?, ?, 'Reminder from the clinic', ?, ?, 'planner', ?, ?, ?, ?)`,
          )
          .run(`test:${++seq}`, o.kind ?? 'reminder', o.clientId, o.appointmentId ?? null, o.to, o.status ?? 'delivered', o.at, o.meta ? JSON.stringify(o.meta) : null, o.at, o.at, o.at)
          .lastInsertRowid,
      );
    },
  };
}

export interface InboxRig {
  core: Core;
  sim: TwilioSim;
  clock: ReturnType<typeof fixedClock>;
  call<T = any>(method: string, arg?: unknown): Promise<T>;
  /** Injects a text into the simulator and runs one poll. */
  receive(from: string, body: string, media?: { contentType: string; bytes: Buffer }[]): Promise<void>;
  cleanup(): Promise<void>;
}

/**
 * A core with Twilio pointed at the simulator and a fixed clock. The poller is not started:
 * tests poll explicitly ('inbox.pollNow'), so nothing depends on timing.
 */
export async function inboxRig(at = '2026-12-08T18:00:00Z', opts: { clinic?: boolean; inbound?: InboundOptions } = {}): Promise<InboxRig> {
  const clock = fixedClock(at);
  const sim = await startTwilioSim({ now: () => clock.now().getTime() });
  const t = testCore({ clock, inbound: opts.inbound });
  const core = t.core;
  if (opts.clinic !== false) core.settings.saveClinic(CLINIC);
  core.settings.saveTwilio({
    accountSid: sim.account.sid,
    authMode: 'token',
    authToken: sim.account.authToken,
    apiKeySid: '',
    fromNumber: CLINIC_NUMBER,
    messagingServiceSid: '',
    senderType: 'long-code',
    customRate: 1,
    pricePerSegment: 0.0083,
    baseUrl: sim.url,
  });
  const call = async (method: string, arg?: unknown) => {
    const r = await core.invoke(method, arg);
    if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code, fields: r.error.fields });
    return r.value as any;
  };
  return {
    core,
    sim,
    clock,
    call,
    async receive(from, body, media) {
      sim.injectInbound({ from, to: CLINIC_NUMBER, body, media, at: clock.now() });
      await call('inbox.pollNow');
    },
    async cleanup() {
      await t.cleanup();
      await sim.close();
    },
  };
}
