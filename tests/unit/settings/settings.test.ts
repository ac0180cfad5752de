import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../../src-main/core';
import { createLogger } from '../../../src-main/core/shared/log';
import { testCore } from '../../helpers/core';
import { CLINIC, SMTP, TWILIO } from '../../helpers/settings-fixtures';
import { tempDir } from '../../helpers/tmp';

describe('settings', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  it('rejects a bad Account SID with a field-level error', async () => {
    const t = testCore();
    cleanups.push(t.cleanup);
    const r = await t.core.invoke('settings.saveTwilio', { ...TWILIO, accountSid: 'AC123' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('validation');
      expect(r.error.fields?.accountSid).toMatch(/starts with AC/);
    }
  });

  it('validates the clinic profile: time zone, quiet hours inside 08:00–21:00, postal code', async () => {
    const t = testCore();
    cleanups.push(t.cleanup);
    const r = await t.core.invoke('settings.saveClinic', {
      ...CLINIC,
      timeZone: 'Mars/Olympus',
      quietHours: { start: '07:00', end: '22:00' },
      address: { ...CLINIC.address, postalCode: '9810' },
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(Object.keys(r.error.fields ?? {}).sort()).toEqual(['address.postalCode', 'quietHours.end', 'quietHours.start', 'timeZone']);
    }
    const ok = await t.core.invoke('settings.saveClinic', CLINIC);
    expect(ok.ok).toBe(true);
  });

  it('flags an SMTP security/port mismatch and a bad from address', async () => {
    const t = testCore();
    cleanups.push(t.cleanup);
    const r = await t.core.invoke('settings.saveSmtp', { ...SMTP, port: 587, security: 'tls', fromAddress: 'frontdesk@' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.error.fields ?? {}).sort()).toEqual(['fromAddress', 'security']);
  });

  it('encrypts secrets at rest, never returns them to the UI, and never logs them', async () => {
    const d = tempDir();
    const lines: string[] = [];
    const core = createCore({ dataDir: d.dir, host: 'web', logger: createLogger((l) => lines.push(l)) });
    cleanups.push(async () => {
      await core.close();
      d.cleanup();
    });
    expect((await core.invoke('settings.saveTwilio', TWILIO)).ok).toBe(true);
    expect((await core.invoke('settings.saveSmtp', SMTP)).ok).toBe(true);
    const view = await core.invoke('settings.get', undefined);
    const text = JSON.stringify(view);
    expect(text).not.toContain(TWILIO.authToken);
    expect(text).not.toContain(SMTP.password);
    expect(view.ok && (view.value as { twilio: { authToken: { set: boolean } } }).twilio.authToken).toEqual({ set: true });
    // The core itself can still read them back.
    expect(core.settings.twilio()?.authToken).toBe(TWILIO.authToken);
    // Trigger a failing path that logs, then grep every file in the data dir and the log.
    await core.invoke('no.such.method', { authToken: TWILIO.authToken });
    core.db.pragma('wal_checkpoint(TRUNCATE)');
    for (const f of readdirSync(d.dir)) {
      const bytes = readFileSync(path.join(d.dir, f));
      expect(bytes.includes(Buffer.from(TWILIO.authToken!)), f).toBe(false);
      expect(bytes.includes(Buffer.from(SMTP.password!)), f).toBe(false);
    }
    expect(lines.join('\n')).not.toContain(TWILIO.authToken);
    if (process.platform !== 'win32') expect(statSync(path.join(d.dir, 'secret.key')).mode & 0o077).toBe(0);
  });

  it('keeps a stored secret when the form leaves it empty, and replaces it when typed', async () => {
    const t = testCore();
    cleanups.push(t.cleanup);
    await t.core.invoke('settings.saveTwilio', TWILIO);
    const { authToken: _omit, ...withoutToken } = TWILIO;
    expect((await t.core.invoke('settings.saveTwilio', { ...withoutToken, fromNumber: '+12065550199' })).ok).toBe(true);
    expect(t.core.settings.twilio()?.authToken).toBe(TWILIO.authToken);
    await t.core.invoke('settings.saveTwilio', { ...TWILIO, authToken: 'new-token-value' });
    expect(t.core.settings.twilio()?.authToken).toBe('new-token-value');
  });

  it('masks phones, emails and SIDs in log lines', () => {
    const lines: string[] = [];
    createLogger((l) => lines.push(l)).info('send to +1 206 555 0113 and bob@example.com', { account: 'AC' + 'b'.repeat(32), password: 'x' });
    expect(lines[0]).not.toMatch(/555 0113|bob@example|bbbbbbbb|password=x/);
  });
});
