import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { settingsCommand, type CliIo } from '../../../src-main/cli/commands/settings';
import { createCore } from '../../../src-main/core';
import { silentLogger } from '../../../src-main/core/shared/log';
import { tempDir } from '../../helpers/tmp';

const TOKEN = 'tok-Secret-7f3a9c1e55';
const MAIL_PASS = 'mail-Pa55-Secret-XYZ';
const SID = 'AC' + '0123456789abcdef'.repeat(2);

/** Runs `pawline settings ...` in-process and captures what it prints. */
async function run(dir: string, args: string[], opts: { env?: NodeJS.ProcessEnv; stdin?: string } = {}) {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += t), err: (t) => (err += t), env: opts.env ?? {}, readStdin: async () => opts.stdin ?? '' };
  const code = await settingsCommand([...args, '--data-dir', dir], io);
  return { code, out, err };
}

/** Reads the saved settings the way the app would. */
async function view(dir: string) {
  const core = createCore({ dataDir: dir, host: 'web', logger: silentLogger });
  try {
    return { view: core.settings.view(), twilio: core.settings.twilio(), smtp: core.settings.smtp() };
  } finally {
    await core.close();
  }
}

/** Every byte under the data folder (database, WAL, logs) as text, to grep for secrets. */
function everything(dir: string): string {
  const walk = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(path.join(d, n)).isDirectory() ? walk(path.join(d, n)) : [path.join(d, n)]));
  return walk(dir)
    .map((f) => readFileSync(f).toString('latin1'))
    .join('\n');
}

const CLINIC_ARGS = [
  'clinic.address.line1', '1200 Larkspur Way', 'clinic.address.city', 'Seattle', 'clinic.address.region', 'WA', 'clinic.address.postalCode', '98103',
  'clinic.phone', '(206) 555-0100', 'clinic.email', 'desk@larkspur.example.com', 'clinic.timeZone', 'America/Los_Angeles',
];

describe('pawline settings (CLI)', () => {
  let t: ReturnType<typeof tempDir>;
  let dir: string;
  beforeEach(() => {
    t = tempDir('pawline-cli-');
    dir = path.join(t.dir, 'data');
  });
  afterEach(() => t.cleanup());

  it('keeps a partial clinic profile as a draft, lists what is missing, and saves it once complete', async () => {
    const first = await run(dir, ['set', 'clinic.name', 'Larkspur Hollow Veterinary Clinic']);
    expect(first.code).toBe(0);
    expect(first.out).toContain('kept as a draft');
    expect(first.out).toContain('clinic.address.city: Enter the city');
    expect(first.out).toContain('clinic.timeZone:');
    expect((await view(dir)).view.clinic).toBeNull();

    const shown = await run(dir, ['show']);
    expect(shown.out).toMatch(/clinic\.name\s+Larkspur Hollow Veterinary Clinic\s+\(draft\)/);
    expect(shown.out).toContain('Still needed before the draft is used');

    const second = await run(dir, ['set', ...CLINIC_ARGS, 'clinic.openingHours.sun', '10:00-14:00', 'clinic.openingHours.sat', 'closed']);
    expect(second.code).toBe(0);
    expect(second.out).toContain('Clinic profile: saved.');
    const clinic = (await view(dir)).view.clinic!;
    expect(clinic.name).toBe('Larkspur Hollow Veterinary Clinic');
    expect(clinic.openingHours.sun).toEqual({ open: '10:00', close: '14:00' });
    expect(clinic.openingHours.sat).toBeNull();
    expect((await run(dir, ['show'])).out).not.toContain('(draft)');
  });

  it('refuses a bad value with the field error and exit code 1, changing nothing', async () => {
    await run(dir, ['set', 'clinic.name', 'Larkspur Hollow', ...CLINIC_ARGS]);
    const before = (await view(dir)).view.clinic;
    const bad = await run(dir, ['set', 'clinic.email', 'not-an-email', 'clinic.quietHours.end', '22:00']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('clinic.email: Enter a valid email address');
    expect(bad.err).toContain('clinic.quietHours.end: Texts may not be sent after 21:00 (TCPA)');
    expect((await view(dir)).view.clinic).toEqual(before);

    const hours = await run(dir, ['set', 'clinic.openingHours.mon', '8 to 6']);
    expect(hours.code).toBe(1);
    expect(hours.err).toContain("clinic.openingHours.mon: Write opening hours like 08:00-18:00, or 'closed'");
    const zone = await run(dir, ['set', 'clinic.timeZone', 'Pacific Time']);
    expect(zone.code).toBe(1);
    expect(zone.err).toContain('clinic.timeZone: Choose a time zone');
    const unknown = await run(dir, ['set', 'clinic.colour', 'blue']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('Unknown setting "clinic.colour"');
  });

  it('never takes a secret from argv, and never echoes one', async () => {
    const r = await run(dir, ['set', 'twilio.authToken', TOKEN]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('never from the command line');
    expect(r.out + r.err).not.toContain(TOKEN);
    expect((await view(dir)).twilio).toBeNull();
  });

  it('reads the Twilio token from an environment variable and the SMTP password from stdin, keeping both out of output, database and logs', async () => {
    const env = { TWILIO_AUTH_TOKEN: TOKEN };
    const tok = await run(dir, ['set', 'twilio.authToken', '--from-env', 'TWILIO_AUTH_TOKEN'], { env });
    expect(tok.code).toBe(0);
    expect(tok.out).toContain('Texting (Twilio): kept as a draft');
    expect(tok.out).toContain('twilio.accountSid:');
    const rest = await run(dir, ['set', 'twilio.accountSid', SID, 'twilio.fromNumber', '+12065550100', 'twilio.baseUrl', 'http://127.0.0.1:4010']);
    expect(rest.code).toBe(0);
    expect(rest.out).toContain('Texting (Twilio): saved.');

    const smtp = await run(dir, ['set', 'smtp.host', 'smtp.example.com', 'smtp.port', '465', 'smtp.security', 'tls', 'smtp.user', 'desk', 'smtp.fromName', 'Larkspur', 'smtp.fromAddress', 'desk@larkspur.example.com']);
    expect(smtp.code).toBe(0);
    const pass = await run(dir, ['set', 'smtp.password', '--stdin'], { stdin: MAIL_PASS });
    expect(pass.code).toBe(0);

    const v = await view(dir);
    expect(v.twilio).toMatchObject({ accountSid: SID, authToken: TOKEN, baseUrl: 'http://127.0.0.1:4010' });
    expect(v.smtp).toMatchObject({ host: 'smtp.example.com', port: 465, security: 'tls', password: MAIL_PASS });

    const shown = await run(dir, ['show']);
    const json = await run(dir, ['show', '--json']);
    expect(shown.out).toMatch(/twilio\.authToken\s+\(set\)/);
    expect(JSON.parse(json.out).twilio.authToken).toEqual({ set: true });
    const printed = [tok, rest, smtp, pass, shown, json].map((r) => r.out + r.err).join('\n');
    expect(printed).not.toContain(TOKEN);
    expect(printed).not.toContain(MAIL_PASS);
    const disk = everything(dir);
    expect(disk).not.toContain(TOKEN);
    expect(disk).not.toContain(MAIL_PASS);

    const missing = await run(dir, ['set', 'smtp.password', '--from-env', 'NOPE']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('NOPE is not set');
  });

  it('imports a settings file in the UI shape, secrets only as environment references', async () => {
    const file = path.join(t.dir, 'settings.json');
    const doc = {
      clinic: {
        name: 'Larkspur Hollow Veterinary Clinic',
        address: { line1: '1200 Larkspur Way', city: 'Seattle', region: 'WA', postalCode: '98103', country: 'US' },
        phone: '(206) 555-0100',
        email: 'desk@larkspur.example.com',
        timeZone: 'America/Los_Angeles',
        openingHours: { mon: { open: '08:00', close: '18:00' }, sun: null, sat: '09:00-12:00' },
        quietHours: { start: '09:00', end: '20:00' },
      },
      twilio: { accountSid: SID, authMode: 'token', authToken: { env: 'TW_TOKEN' }, fromNumber: '+12065550100', senderType: 'long-code', baseUrl: '' },
      smtp: { host: 'smtp.example.com', port: 587, security: 'starttls', user: 'desk', password: { env: 'MAIL_PASS' }, fromName: 'Larkspur', fromAddress: 'desk@larkspur.example.com', replyTo: '' },
      general: { planTime: '06:30', exportFolder: t.dir },
    };
    writeFileSync(file, JSON.stringify(doc));
    const r = await run(dir, ['import', file], { env: { TW_TOKEN: TOKEN, MAIL_PASS } });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Clinic profile: saved.');
    expect(r.out).toContain('Texting (Twilio): saved.');
    expect(r.out).toContain('Email (SMTP): saved.');
    const v = await view(dir);
    expect(v.view.clinic?.openingHours.sat).toEqual({ open: '09:00', close: '12:00' });
    expect(v.view.planTime).toBe('06:30');
    expect(v.view.exportFolder).toBe(t.dir);
    expect(v.twilio?.authToken).toBe(TOKEN);
    expect(v.smtp?.password).toBe(MAIL_PASS);
    expect(r.out + r.err).not.toContain(TOKEN);

    // What `show --json` prints imports back unchanged (stored secrets appear as {set: true}).
    const json = (await run(dir, ['show', '--json'])).out;
    writeFileSync(file, json);
    const again = await run(dir, ['import', file]);
    expect(again.code).toBe(0);
    expect((await view(dir)).twilio?.authToken).toBe(TOKEN);
  });

  it('refuses a file with a secret in clear or bad values, naming each field, and writes nothing', async () => {
    const file = path.join(t.dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        twilio: { accountSid: SID, authToken: TOKEN, fromNumber: '+12065550100' },
        smtp: { host: 'smtp.example.com', port: 587, security: 'tls', fromName: 'L', fromAddress: 'nope' },
        clinic: { name: 'Larkspur', colour: 'blue' },
      }),
    );
    const r = await run(dir, ['import', file]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('twilio.authToken: Secrets may not be written in the file');
    expect(r.err).toContain('clinic.colour: Unknown setting');
    expect(r.out + r.err).not.toContain(TOKEN);
    expect((await view(dir)).view.twilio).toBeNull();

    writeFileSync(file, JSON.stringify({ smtp: { host: 'smtp.example.com', port: 587, security: 'tls', fromName: 'L', fromAddress: 'nope' }, general: { planTime: '7am' } }));
    const r2 = await run(dir, ['import', file]);
    expect(r2.code).toBe(1);
    expect(r2.err).toContain('smtp.security: Port 587 uses STARTTLS');
    expect(r2.err).toContain('smtp.fromAddress: Enter the address mail is sent from');
    expect(r2.err).toContain('general.planTime: Use 24-hour time like 09:00');
    expect((await view(dir)).view.smtp).toBeNull();
    expect((await view(dir)).view.planTime).toBe('07:00');

    writeFileSync(file, '{ not json');
    const r3 = await run(dir, ['import', file]);
    expect(r3.code).toBe(1);
    expect(r3.err).toContain('it is not valid JSON');
  });
});

describe('pawline settings as a process (npm run pawline -- settings ...)', () => {
  const TSX = path.resolve(__dirname, '../../../node_modules/.bin/tsx');
  const MAIN = path.resolve(__dirname, '../../../src-main/cli/main.ts');
  const cli = (args: string[], o: { input?: string; env?: NodeJS.ProcessEnv } = {}) =>
    spawnSync(TSX, [MAIN, 'settings', ...args], { input: o.input ?? '', env: { ...process.env, ...o.env }, encoding: 'utf8', timeout: 60_000 });

  it('reads a piped secret from stdin and another from an environment variable, and prints neither', async () => {
    const t = tempDir('pawline-cli-proc-');
    try {
      const dir = path.join(t.dir, 'data');
      const fromStdin = cli(['set', 'twilio.authToken', '--stdin', '--data-dir', dir], { input: `${TOKEN}\n` });
      expect(fromStdin.status, fromStdin.stderr).toBe(0);
      const fromEnv = cli(['set', 'smtp.password', '--from-env', 'PAWLINE_TEST_MAIL', '--data-dir', dir], { env: { PAWLINE_TEST_MAIL: MAIL_PASS } });
      expect(fromEnv.status, fromEnv.stderr).toBe(0);
      const rest = cli(['set', 'twilio.accountSid', SID, 'twilio.fromNumber', '+12065550100', '--data-dir', dir]);
      expect(rest.status, rest.stderr).toBe(0);
      expect(rest.stdout).toContain('Texting (Twilio): saved.');
      for (const r of [fromStdin, fromEnv, rest]) {
        expect(r.stdout + r.stderr).not.toContain(TOKEN);
        expect(r.stdout + r.stderr).not.toContain(MAIL_PASS);
      }
      const v = await view(dir);
      // The trailing newline of a pipe is not part of the secret.
      expect(v.twilio?.authToken).toBe(TOKEN);
      const core = createCore({ dataDir: dir, host: 'web', logger: silentLogger });
      expect(core.settings.getSecret('smtp.password')).toBe(MAIL_PASS);
      await core.close();
      expect(everything(dir)).not.toContain(TOKEN);
      expect(everything(dir)).not.toContain(MAIL_PASS);
    } finally {
      t.cleanup();
    }
  }, 180_000);
});
