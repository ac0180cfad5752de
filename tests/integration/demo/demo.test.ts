import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoMail, DemoSms, ImportRunSummary } from '../../../src-main/contract';
import { startDemo, prepareDemoDir, DEMO_EXPORT_DIR, type Demo } from '../../../src-main/host-web/demo';
import { DEMO_CLINIC_NUMBER } from '../../../src-main/host-web/demo-clinic/profile';
import { testCore } from '../../helpers/core';
import { tempDir } from '../../helpers/tmp';
import { connectSocket, RENDERER_DIR, rpc } from '../../helpers/web';

describe('npm run demo', () => {
  const t = tempDir('pawline-demo-');
  let demo: Demo;
  let socket: Socket;
  const manifest = JSON.parse(readFileSync(path.join(DEMO_EXPORT_DIR, 'demo.json'), 'utf8')) as { asOf: string; counts: Record<string, number> };

  beforeAll(async () => {
    demo = await startDemo({
      dataDir: path.join(t.dir, 'demo'),
      port: 0,
      staticDir: RENDERER_DIR,
      timeZone: 'America/Los_Angeles',
      coreTuning: { inbound: { pollMs: 100 } },
      watchMs: 50,
    });
    socket = await connectSocket(demo.host);
  });
  afterAll(async () => {
    socket?.close();
    await demo?.close();
    t.cleanup();
  });

  it('starts the simulator, the mail server and the host, configured as a labelled demo clinic', async () => {
    const status = await rpc(socket, 'system.status');
    expect(status.ok && (status.value as { demo: boolean }).demo).toBe(true);
    const twilio = demo.core.settings.twilio()!;
    expect(twilio.baseUrl).toBe(demo.sim.url);
    expect(twilio.fromNumber).toBe(DEMO_CLINIC_NUMBER);
    const smtp = demo.core.settings.smtp()!;
    expect(`${smtp.host}:${smtp.port}`).toBe(`${demo.smtp.host}:${demo.smtp.port}`);
    expect(demo.core.settings.view().setupComplete).toBe(true);
    expect(demo.core.settings.clinic()?.timeZone).toBe('America/Los_Angeles');

    // The simulator answers the real Twilio API shape with the demo credentials.
    const auth = Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString('base64');
    const acc = await fetch(`${demo.sim.url}/2010-04-01/Accounts/${twilio.accountSid}.json`, { headers: { authorization: `Basic ${auth}` } });
    expect(acc.status).toBe(200);
    // The web host serves the UI (or says how to build it) on loopback.
    expect(new URL(demo.host.url).hostname).toBe('127.0.0.1');
    expect([200, 503]).toContain((await fetch(demo.host.url)).status);
  });

  it('imports the demo export with its dates moved to the clinic’s today', () => {
    expect('error' in demo.imported).toBe(false);
    const run = demo.imported as ImportRunSummary;
    expect(run.status).toBe('ok');
    expect(run.byEntity.clients?.inserted).toBe(manifest.counts['Client.csv']);
    expect(run.byEntity.patients?.inserted).toBe(manifest.counts['Patient.csv']);
    expect(run.byEntity.appointments?.inserted).toBe(manifest.counts['Appointments.csv']);

    // The export's as-of day becomes today: appointments that were on it now are today.
    const [y, m, d] = demo.info.today.split('-');
    const [ay, am, ad] = manifest.asOf.split('-');
    const shifted = readFileSync(path.join(demo.dataDir, 'pulse-export', 'Appointments.csv'), 'utf8');
    const original = readFileSync(path.join(DEMO_EXPORT_DIR, 'Appointments.csv'), 'utf8');
    const onAsOf = original.split('\n').filter((l) => l.includes(`${am}/${ad}/${ay}`)).length;
    expect(onAsOf).toBeGreaterThan(0);
    expect(shifted.split('\n').filter((l) => l.includes(`${m}/${d}/${y}`)).length).toBe(onAsOf);
    const todayRows = demo.core.db.prepare<[string], { n: number }>("SELECT COUNT(*) n FROM appointments WHERE substr(start_local, 1, 10) = ?").get(demo.info.today)!.n;
    expect(todayRows).toBe(onAsOf);
  });

  it('lets the evaluator text the clinic as an owner: the simulator records it and the desk picks it up', async () => {
    const r = await rpc(socket, 'demo.injectInbound', { from: '(206) 555-0199', body: 'Is Biscuit ready?' });
    expect(r.ok).toBe(true);
    const sms = (r as { value: DemoSms }).value;
    expect(sms).toMatchObject({ direction: 'from-owner', owner: '+12065550199', body: 'Is Biscuit ready?', status: 'received' });
    expect(demo.sim.inbound().map((m) => [m.from, m.to, m.body])).toEqual([['+12065550199', DEMO_CLINIC_NUMBER, 'Is Biscuit ready?']]);

    // The desk's own poller fetches it from the simulator like from Twilio.
    await expect.poll(() => demo.core.db.prepare<[string], { n: number }>('SELECT COUNT(*) n FROM inbound_messages WHERE twilio_sid = ?').get(sms.sid)?.n, { timeout: 10_000 }).toBe(1);

    const thread = await rpc(socket, 'demo.phone', { number: '+12065550199' });
    expect(thread.ok && (thread.value as DemoSms[]).map((m) => m.body)).toContain('Is Biscuit ready?');
    const phones = await rpc(socket, 'demo.phones');
    expect(phones.ok && (phones.value as { number: string; sent: number }[]).find((p) => p.number === '+12065550199')?.sent).toBe(1);
    const mailbox = await rpc(socket, 'demo.mailbox', {});
    expect(mailbox.ok && Array.isArray(mailbox.value as DemoMail[])).toBe(true);
  });

  it('refuses an injected text without a usable number or body, with field errors', async () => {
    const r = await rpc(socket, 'demo.injectInbound', { from: '555', body: 'hi' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.fields?.from).toBeTruthy();
    const r2 = await rpc(socket, 'demo.injectInbound', { from: '(206) 555-0199', body: '  ' });
    if (!r2.ok) expect(r2.error.fields?.body).toBeTruthy();
    expect(r2.ok).toBe(false);
  });

  it('tells the desk when something arrives at the simulator', async () => {
    const seen = new Promise<unknown>((resolve) => socket.on('pawline:event', (name: string, payload: unknown) => name === 'demo.changed' && resolve(payload)));
    demo.sim.injectInbound({ from: '+12065550198', to: DEMO_CLINIC_NUMBER, body: 'HERE' });
    expect(await seen).toMatchObject({ sms: expect.any(Number), mail: expect.any(Number) });
  });
});

describe('demo API outside demo mode', () => {
  it("answers 'not-demo' and touches nothing", async () => {
    const t = testCore();
    try {
      const r = await t.core.invoke('demo.injectInbound', { from: '(206) 555-0199', body: 'C' });
      expect(r).toMatchObject({ ok: false, error: { code: 'not-demo' } });
      expect((await t.core.invoke('demo.mailbox', {})).ok).toBe(false);
    } finally {
      await t.cleanup();
    }
  });
});

describe('demo data folder', () => {
  it('is wiped on restart only when the demo made it', () => {
    const t = tempDir('pawline-demo-dir-');
    try {
      const mine = path.join(t.dir, 'mine');
      prepareDemoDir(mine);
      writeFileSync(path.join(mine, 'pawline.sqlite3'), 'old');
      prepareDemoDir(mine);
      expect(() => readFileSync(path.join(mine, 'pawline.sqlite3'))).toThrow();

      const real = path.join(t.dir, 'real');
      mkdirSync(real);
      writeFileSync(path.join(real, 'pawline.sqlite3'), 'a clinic database');
      expect(() => prepareDemoDir(real)).toThrow(/not made by the demo/);
      expect(readFileSync(path.join(real, 'pawline.sqlite3'), 'utf8')).toBe('a clinic database');
    } finally {
      t.cleanup();
    }
  });
});
