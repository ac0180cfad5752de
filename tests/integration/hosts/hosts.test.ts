import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RPC_CHANNEL } from '../../../src-main/contract';
import type { WebHost } from '../../../src-main/host-web/server';
import { testCore } from '../../helpers/core';
import { CLINIC, TWILIO } from '../../helpers/settings-fixtures';
import { connectSocket, nextEvent, rpc, startTestHost } from '../../helpers/web';

/**
 * The Electron host forwards IPC straight to core.invoke (src-main/electron/main.ts); the web
 * host forwards socket.io the same way. Both must answer a call identically.
 */
describe('hosts', () => {
  const t = testCore();
  let host: WebHost;
  beforeAll(async () => {
    host = await startTestHost(t.core);
  });
  afterAll(async () => {
    await host.close();
    await t.cleanup();
  });

  it('answers the same API call identically over socket.io and in-process (IPC path)', async () => {
    const s = await connectSocket(host);
    for (const [method, arg] of [
      ['settings.saveClinic', CLINIC],
      ['settings.get', undefined],
      ['settings.saveTwilio', { ...TWILIO, accountSid: 'nope' }],
      ['no.such.method', {}],
    ] as const) {
      const direct = await t.core.invoke(method, arg);
      const viaSocket = await rpc(s, method, arg);
      expect(viaSocket).toEqual(JSON.parse(JSON.stringify(direct)));
    }
    s.close();
  });

  it('refuses a socket without the per-start token', async () => {
    await expect(connectSocket(host, 'wrong-token')).rejects.toThrow(/unauthorized/);
  });

  it('pushes core events to connected desks', async () => {
    const s = await connectSocket(host);
    const ev = nextEvent(s, 'settings.changed');
    await rpc(s, 'settings.saveClinic', { ...CLINIC, name: 'Renamed Clinic' });
    expect((await ev) as { clinic: { name: string } }).toMatchObject({ clinic: { name: 'Renamed Clinic' } });
    s.close();
  });

  it('serves the renderer with a strict CSP and only on loopback', async () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:/);
    const res = await fetch(host.url);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(res.headers.get('content-security-policy')).not.toMatch(/unsafe-eval/);
    const traversal = await fetch(host.url + '..%2f..%2fpackage.json');
    expect(await traversal.text()).not.toContain('"name": "pawline"');
    expect(RPC_CHANNEL).toBe('pawline:rpc');
  });
});
