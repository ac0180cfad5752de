import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { EVENT_CHANNEL, RPC_CHANNEL, type Envelope } from '../../src-main/contract';
import type { Core } from '../../src-main/core';
import { startWebHost, type WebHost } from '../../src-main/host-web/server';

export const RENDERER_DIR = path.resolve(__dirname, '../../dist-renderer');

export async function startTestHost(core: Core): Promise<WebHost> {
  return startWebHost({ core, staticDir: RENDERER_DIR, port: 0 });
}

/** A raw socket.io client, as the renderer uses it. */
export async function connectSocket(host: WebHost, token = host.token): Promise<Socket> {
  const s = io(host.url, { auth: { token }, transports: ['websocket'], reconnection: false });
  await new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', (e) => reject(e));
  });
  return s;
}

export function rpc(s: Socket, method: string, arg?: unknown): Promise<Envelope<unknown>> {
  return new Promise((resolve) => s.emit(RPC_CHANNEL, method, arg, (r: Envelope<unknown>) => resolve(r)));
}

export function nextEvent(s: Socket, name: string, timeoutMs = 5000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no ${name} event within ${timeoutMs} ms`)), timeoutMs);
    const h = (event: string, payload: unknown) => {
      if (event !== name) return;
      clearTimeout(t);
      s.off(EVENT_CHANNEL, h);
      resolve(payload);
    };
    s.on(EVENT_CHANNEL, h);
  });
}
