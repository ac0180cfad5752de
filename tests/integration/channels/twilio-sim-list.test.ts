import { afterEach, describe, expect, it } from 'vitest';
import { startTwilioSim, type TwilioSim } from '../../doubles/twilio-sim';
import { CLINIC, JPEG, PNG, manualClock, phone, realClient, rejection } from './helpers';

const ACCOUNT = { sid: `AC${'d'.repeat(32)}`, authToken: 'token-d' };
const auth = { Authorization: 'Basic ' + Buffer.from(`${ACCOUNT.sid}:${ACCOUNT.authToken}`).toString('base64') };

let sim: TwilioSim;
afterEach(async () => {
  await sim?.close();
});

async function sendMany(n: number, to: (i: number) => string, clock?: { advance(ms: number): void }) {
  const client = realClient(sim);
  for (let i = 0; i < n; i++) {
    await client.messages.create({ to: to(i), from: CLINIC, body: `msg ${i}` });
    clock?.advance(1_000);
  }
}

describe('Twilio simulator: list paging', () => {
  it('pages 130 messages in pages of 50 with Twilio paging fields, newest first', async () => {
    const clock = manualClock();
    sim = await startTwilioSim({ accounts: [ACCOUNT], now: clock.now });
    await sendMany(130, (i) => phone(i % 3));
    const client = realClient(sim);

    const first = await client.messages.page({ pageSize: 50 });
    expect(first.instances).toHaveLength(50);
    expect(first.instances[0]!.body).toBe('msg 129');
    const second = (await first.nextPage())!;
    const third = (await second.nextPage())!;
    expect(third.instances).toHaveLength(30);
    expect(third.instances[29]!.body).toBe('msg 0');
    expect(third.nextPageUrl).toBeUndefined();
    const bodies = [...first.instances, ...second.instances, ...third.instances].map((m) => m.body);
    expect(new Set(bodies).size).toBe(130);

    const raw = (await (await fetch(`${sim.url}/2010-04-01/Accounts/${ACCOUNT.sid}/Messages.json?PageSize=50`, { headers: auth })).json()) as any;
    expect(raw).toMatchObject({ page: 0, page_size: 50, start: 0, end: 49, previous_page_uri: null });
    expect(raw.uri).toBe(`/2010-04-01/Accounts/${ACCOUNT.sid}/Messages.json?PageSize=50&Page=0`);
    expect(raw.first_page_uri).toBe(raw.uri);
    expect(raw.next_page_uri).toMatch(/Messages\.json\?PageSize=50&Page=1&PageToken=PASM[0-9a-f]{32}$/);
    const page2 = (await (await fetch(sim.url + raw.next_page_uri, { headers: auth })).json()) as any;
    expect(page2).toMatchObject({ page: 1, start: 50, end: 99 });
    expect(page2.previous_page_uri).toMatch(/PageToken=PBSM/);
    const back = (await (await fetch(sim.url + page2.previous_page_uri, { headers: auth })).json()) as any;
    expect(back.messages.map((m: any) => m.sid)).toEqual(raw.messages.map((m: any) => m.sid));
  });

  it('keeps paging stable while new messages arrive (cursor tokens)', async () => {
    sim = await startTwilioSim({ accounts: [ACCOUNT] });
    await sendMany(60, () => phone(1));
    const client = realClient(sim);
    const first = await client.messages.page({ pageSize: 25 });
    await sendMany(10, () => phone(2));
    const rest: string[] = [];
    let p = await first.nextPage();
    while (p) {
      rest.push(...p.instances.map((m) => m.sid));
      p = await p.nextPage();
    }
    const seen = [...first.instances.map((m) => m.sid), ...rest];
    expect(seen).toHaveLength(60);
    expect(new Set(seen).size).toBe(60);
  });

  it('list() with a limit and each() walk every page through the real client', async () => {
    sim = await startTwilioSim({ accounts: [ACCOUNT] });
    await sendMany(45, () => phone(1));
    const client = realClient(sim);
    expect(await client.messages.list({ pageSize: 10 })).toHaveLength(45);
    expect(await client.messages.list({ pageSize: 10, limit: 23 })).toHaveLength(23);
  });
});

describe('Twilio simulator: list filters', () => {
  it('filters by To and From', async () => {
    sim = await startTwilioSim({ accounts: [ACCOUNT] });
    await sendMany(12, (i) => phone(i % 4));
    sim.injectInbound({ from: phone(1), to: CLINIC, body: 'reply' });
    const client = realClient(sim);
    const toOne = await client.messages.list({ to: phone(1) });
    expect(toOne).toHaveLength(3);
    expect(toOne.every((m) => m.to === phone(1))).toBe(true);
    const fromOne = await client.messages.list({ from: phone(1) });
    expect(fromOne.map((m) => m.body)).toEqual(['reply']);
    expect(await client.messages.list({ from: CLINIC, to: phone(2) })).toHaveLength(3);
  });

  it('filters by DateSent (day), DateSent> and DateSent< (date or date-time), skipping unsent messages', async () => {
    const clock = manualClock(Date.UTC(2025, 2, 10, 23, 59, 0));
    sim = await startTwilioSim({ accounts: [ACCOUNT], now: clock.now, delays: { sentMs: 0, deliveredMs: 0 } });
    const client = realClient(sim);
    await client.messages.create({ to: phone(1), from: CLINIC, body: 'mar10' });
    clock.set(Date.UTC(2025, 2, 11, 8, 0, 0));
    await client.messages.create({ to: phone(1), from: CLINIC, body: 'mar11-early' });
    clock.set(Date.UTC(2025, 2, 11, 18, 30, 0));
    await client.messages.create({ to: phone(1), from: CLINIC, body: 'mar11-late' });
    clock.set(Date.UTC(2025, 2, 12, 9, 0, 0));
    sim.setDelays({ sentMs: 60_000 });
    await client.messages.create({ to: phone(1), from: CLINIC, body: 'still-queued' });

    const bodies = async (q: Record<string, unknown>) => (await client.messages.list(q)).map((m) => m.body).sort();
    expect(await bodies({ dateSent: new Date(Date.UTC(2025, 2, 11)) })).toEqual([]); // SDK sends a date-time: one second
    const onDay = await fetch(`${sim.url}/2010-04-01/Accounts/${ACCOUNT.sid}/Messages.json?DateSent=2025-03-11`, { headers: auth });
    expect(((await onDay.json()) as any).messages.map((m: any) => m.body).sort()).toEqual(['mar11-early', 'mar11-late']);
    expect(await bodies({ dateSentAfter: new Date(Date.UTC(2025, 2, 11, 8, 0, 0)) })).toEqual(['mar11-early', 'mar11-late']);
    expect(await bodies({ dateSentAfter: new Date(Date.UTC(2025, 2, 11, 8, 0, 1)) })).toEqual(['mar11-late']);
    expect(await bodies({ dateSentBefore: new Date(Date.UTC(2025, 2, 11, 8, 0, 0)) })).toEqual(['mar10', 'mar11-early']);
    const before = await fetch(`${sim.url}/2010-04-01/Accounts/${ACCOUNT.sid}/Messages.json?${encodeURIComponent('DateSent<')}=2025-03-10`, { headers: auth });
    expect(((await before.json()) as any).messages.map((m: any) => m.body)).toEqual(['mar10']);
    expect(await client.messages.list({})).toHaveLength(4);

    const bad = await fetch(`${sim.url}/2010-04-01/Accounts/${ACCOUNT.sid}/Messages.json?${encodeURIComponent('DateSent>')}=yesterday`, { headers: auth });
    expect(bad.status).toBe(400);
  });
});

describe('Twilio simulator: inbound messages and media', () => {
  it('shows an injected MMS as inbound/received with two media, served through a redirect to a credential-free CDN', async () => {
    sim = await startTwilioSim({ accounts: [ACCOUNT] });
    const inbound = sim.injectInbound({
      from: phone(9),
      to: CLINIC,
      body: 'Here are the photos of Biscuit',
      media: [
        { contentType: 'image/png', bytes: PNG },
        { contentType: 'image/jpeg', bytes: JPEG },
      ],
    });
    const client = realClient(sim);
    const [m] = await client.messages.list({ from: phone(9) });
    expect(m).toMatchObject({ sid: inbound.sid, direction: 'inbound', status: 'received', numMedia: '2', to: CLINIC });
    expect(m!.sid).toMatch(/^MM/);

    const media = await client.messages(m!.sid).media.list();
    expect(media.map((x) => x.contentType)).toEqual(['image/png', 'image/jpeg']);
    expect(media[0]!.uri).toMatch(new RegExp(`/Messages/${m!.sid}/Media/ME[0-9a-f]{32}\\.json$`));

    const contentPath = media[0]!.uri.replace(/\.json$/, '');
    expect((await fetch(sim.url + contentPath, { redirect: 'manual' })).status).toBe(401);
    const redirect = await fetch(sim.url + contentPath, { headers: auth, redirect: 'manual' });
    expect(redirect.status).toBe(307);
    const location = redirect.headers.get('location')!;
    expect(new URL(location).origin).toBe(sim.mediaUrl);
    const withAuth = await fetch(location, { headers: auth });
    expect(withAuth.status).toBe(400); // a pre-signed storage URL refuses a second credential
    const content = await fetch(location);
    expect(content.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await content.arrayBuffer()).equals(PNG)).toBe(true);
  });
});

describe('Twilio simulator: network switches', () => {
  it('refuses connections while offline and serves again afterwards, on the same URL', async () => {
    sim = await startTwilioSim({ accounts: [ACCOUNT] });
    const client = realClient(sim);
    await client.messages.create({ to: phone(1), from: CLINIC, body: 'before' });
    await sim.setOffline(true);
    // A pooled keep-alive socket may be found dead first (reset); a new connection is refused.
    const first = await rejection(client.messages.create({ to: phone(1), from: CLINIC, body: 'during' }));
    expect(['ECONNREFUSED', 'ECONNRESET']).toContain(first.code);
    const err = await rejection(client.messages.create({ to: phone(1), from: CLINIC, body: 'during' }));
    expect(err.code).toBe('ECONNREFUSED');
    await sim.setOffline(false);
    await client.messages.create({ to: phone(1), from: CLINIC, body: 'after' });
    expect(sim.outbound().map((m) => m.body)).toEqual(['before', 'after']);
  });

  it("'reset' drops connections and 'hang' never answers (the client's timeout fires)", async () => {
    sim = await startTwilioSim({ accounts: [ACCOUNT] });
    await sim.setOffline(true, 'reset');
    const reset = await rejection(realClient(sim).messages.list({ limit: 1 }));
    expect(['ECONNRESET', 'EPIPE']).toContain(reset.code);
    await sim.setOffline(true, 'hang');
    const hung = await rejection(realClient(sim, undefined, 200).messages.list({ limit: 1 }));
    expect(hung.code).toBe('ECONNABORTED');
    await sim.setOffline(false);
    expect(await realClient(sim).messages.list({})).toEqual([]);
  });

  it('can create a message and then cut the connection, leaving the client unsure', async () => {
    sim = await startTwilioSim({ accounts: [ACCOUNT] });
    sim.dropAfterCreate(1);
    const err = await rejection(realClient(sim).messages.create({ to: phone(1), from: CLINIC, body: 'ghost' }));
    expect(err.code).toBe('ECONNRESET');
    expect(sim.countByBody('ghost')).toBe(1);
  });
});
