/**
 * Demo mode (`npm run demo`): the real app on a demo clinic, with a local Twilio simulator and
 * a local SMTP server started beside the web host, so a newcomer without any account can watch
 * reminders go out and answer as a pet owner would. Nothing leaves this machine.
 *
 * Each start makes a fresh demo data folder, moves the demo export's dates to today (so there
 * are services coming due and appointments today and tomorrow), configures the clinic, Twilio
 * and SMTP through the same API the Settings screen uses, imports the export and serves the UI.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DemoInfo, ImportRunSummary } from '../contract';
import { createCore, type Core } from '../core';
import { createLogger, fileSink, type Logger } from '../core/shared/log';
import { startSmtpServer, type SmtpDouble } from '../../tests/doubles/smtp';
import { startTwilioSim, type TwilioSim } from '../../tests/doubles/twilio-sim';
import { createDemoLink, demoFingerprint } from './demo-clinic/link';
import { daytimeZone, DEMO_CLINIC_NUMBER, demoClinic, demoSmtp, demoTwilio, localDay } from './demo-clinic/profile';
import { daysBetween, writeShiftedExport } from './demo-clinic/shift-dates';
import { startWebHost, type WebHost } from './server';

const here = path.dirname(fileURLToPath(import.meta.url));
export const DEMO_EXPORT_DIR = path.resolve(here, '../../resources/demo');
/** Marks a folder the demo made, so a restart may wipe it and a real data folder never is. */
const MARKER = 'pawline-demo.json';

export interface DemoOptions {
  /** Default: <os tmp>/pawline-demo, recreated on every start. */
  dataDir?: string;
  /** Web host port (0 = any free port). */
  port?: number;
  staticDir?: string;
  /** Clinic time zone; default: one where it is daytime now, so messages go out at once. */
  timeZone?: string;
  now?: () => Date;
  logger?: Logger;
  /** Background timing for tests (inbound poll, dispatcher). */
  coreTuning?: Pick<Parameters<typeof createCore>[0], 'inbound' | 'outbox' | 'importWatch' | 'clock'>;
  /** How often the desk is told that the simulator or mailbox changed (ms). */
  watchMs?: number;
}

export interface Demo {
  core: Core;
  host: WebHost;
  sim: TwilioSim;
  smtp: SmtpDouble;
  dataDir: string;
  info: DemoInfo;
  /** True when the time zone was picked for daytime (no --time-zone given). */
  zonePicked: boolean;
  /** The demo export's import, or why it did not run. */
  imported: ImportRunSummary | { error: string };
  close(): Promise<void>;
}

export function defaultDemoDir(): string {
  return path.join(os.tmpdir(), 'pawline-demo');
}

/** Empties a folder the demo made before; refuses one that holds anything else. */
export function prepareDemoDir(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length) {
    if (!existsSync(path.join(dir, MARKER)))
      throw new Error(`${dir} is not empty and was not made by the demo; choose an empty folder for --data-dir (the demo starts from scratch each time).`);
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, MARKER), JSON.stringify({ createdAt: new Date().toISOString(), note: 'Made by npm run demo; wiped on the next demo start.' }) + '\n');
}

export async function startDemo(o: DemoOptions = {}): Promise<Demo> {
  const now = o.now ?? (() => new Date());
  const dataDir = path.resolve(o.dataDir ?? defaultDemoDir());
  prepareDemoDir(dataDir);
  const log = o.logger ?? createLogger(fileSink(dataDir, false));

  const manifest = JSON.parse(readFileSync(path.join(DEMO_EXPORT_DIR, 'demo.json'), 'utf8')) as { asOf: string };
  const timeZone = o.timeZone ?? daytimeZone(now(), Intl.DateTimeFormat().resolvedOptions().timeZone);
  const today = localDay(now(), timeZone);
  const exportDir = path.join(dataDir, 'pulse-export');
  writeShiftedExport(DEMO_EXPORT_DIR, exportDir, daysBetween(manifest.asOf, today));

  // Statuses move slowly enough to watch (queued -> sent -> delivered) on the owner's phone.
  const sim = await startTwilioSim({ delays: { sentMs: 1500, deliveredMs: 4000 }, accounts: [{ sid: `AC${'0'.repeat(28)}de30`, authToken: 'demo-auth-token', friendlyName: 'Pawline demo', numbers: [DEMO_CLINIC_NUMBER] }] });
  const mailAuth = { user: 'frontdesk', pass: 'demo-mail-password' };
  const smtp = await startSmtpServer({ auth: mailAuth });
  const info: DemoInfo = { clinicNumber: DEMO_CLINIC_NUMBER, twilioUrl: sim.url, smtp: `${smtp.host}:${smtp.port}`, dataDir, today };

  let core: Core | null = null;
  let host: WebHost | null = null;
  let timer: NodeJS.Timeout | null = null;
  const close = async () => {
    if (timer) clearInterval(timer);
    await host?.close();
    await core?.close();
    await sim.close();
    await smtp.close();
  };
  try {
    core = createCore({
      dataDir,
      host: 'web',
      demo: true,
      demoLink: createDemoLink(sim, smtp, () => info),
      logger: log,
      // Owners' replies should show up within seconds in a demo.
      inbound: { pollMs: 3000 },
      ...o.coreTuning,
    });
    await configure(core, sim, smtp, mailAuth, timeZone, exportDir);
    const imported = await importExport(core, exportDir);
    core.start();
    host = await startWebHost({ core, staticDir: o.staticDir ?? path.resolve(here, '../../dist-renderer'), port: o.port ?? 5178 });

    // The demo panels refresh when the stand-ins change; the desk itself learns of it by polling as usual.
    let last = demoFingerprint(sim, smtp);
    const c = core;
    timer = setInterval(() => {
      const f = demoFingerprint(sim, smtp);
      if (f === last) return;
      last = f;
      c.events.emit('demo.changed', { sms: sim.messages.length, mail: smtp.mails.length });
    }, o.watchMs ?? 1000);
    timer.unref?.();

    return { core, host, sim, smtp, dataDir, info, zonePicked: !o.timeZone, imported, close };
  } catch (e) {
    await close();
    throw e;
  }
}

async function call(core: Core, method: string, arg: unknown): Promise<unknown> {
  const r = await core.invoke(method, arg);
  if (!r.ok) throw new Error(`Demo setup failed at ${method}: ${r.error.message}${r.error.fields ? ' ' + JSON.stringify(r.error.fields) : ''}`);
  return r.value;
}

async function configure(core: Core, sim: TwilioSim, smtp: SmtpDouble, mailAuth: { user: string; pass: string }, timeZone: string, exportDir: string) {
  await call(core, 'settings.saveClinic', demoClinic(timeZone));
  await call(core, 'settings.saveTwilio', demoTwilio({ url: sim.url, accountSid: sim.account.sid, authToken: sim.account.authToken }));
  await call(core, 'settings.saveSmtp', demoSmtp({ host: smtp.host, port: smtp.port, ...mailAuth }));
  // The export folder is watched as a clinic's would be; setup is done so the desk opens on the Inbox.
  await call(core, 'settings.saveGeneral', { exportFolder: exportDir, setupComplete: true });
}

async function importExport(core: Core, exportDir: string): Promise<ImportRunSummary | { error: string }> {
  const r = await core.invoke('imports.run', { path: exportDir, profile: 'pulse' });
  return r.ok ? (r.value as ImportRunSummary) : { error: r.error.message };
}

/** What the console shows once the demo runs. */
export function demoBanner(d: Demo): string {
  const imp = 'error' in d.imported ? `Import failed: ${d.imported.error}` : `Imported ${d.imported.byEntity.clients ? d.imported.byEntity.clients.inserted : 0} households, ${d.imported.byEntity.patients?.inserted ?? 0} pets, ${d.imported.byEntity.reminders?.inserted ?? 0} services due, ${d.imported.byEntity.appointments?.inserted ?? 0} appointments.`;
  const tz = d.core.settings.clinic()?.timeZone;
  return [
    '',
    '  PAWLINE DEMO — simulated Twilio and mail server; no real texts or emails leave this machine.',
    '',
    `  Demo clinic: Larkspur Hollow Veterinary Clinic (time zone ${tz}, today ${d.info.today})`,
    ...(d.zonePicked ? ['  (time zone picked so it is daytime at the clinic now and messages go out at once; --time-zone ZONE to choose)'] : []),
    `  ${imp}`,
    `  Twilio simulator: ${d.info.twilioUrl}    SMTP server: ${d.info.smtp}`,
    `  Data folder (wiped on the next demo start): ${d.dataDir}`,
    '',
    '  Open this address in your browser:',
    '',
    `    ${d.host.openUrl}`,
    '',
    '  Then: Reminders shows today\'s plan (approve it to send); the Demo screen lets you text the',
    '  clinic as an owner and shows each owner\'s phone and the mailbox.',
    '',
    '  Press Ctrl+C to stop.',
    '',
  ].join('\n');
}
