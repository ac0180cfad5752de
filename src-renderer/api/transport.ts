import { io, type Socket } from 'socket.io-client';
import type { ApiClient, ApiMethod, Envelope, EventName, RawTransport } from '../../src-main/contract';
import { EVENT_CHANNEL, RPC_CHANNEL } from '../../src-main/contract';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in the browser. */
    pawline?: RawTransport;
  }
}

/** An error from the core, with field messages for forms. */
export class CallError extends Error {
  constructor(
    public readonly code: string,
    message: string,
    public readonly fields?: Record<string, string>,
  ) {
    super(message);
  }
}

/** Browser mode: the token arrives in the URL fragment (never sent to the server in requests/logs). */
function socketTransport(): RawTransport {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem('pawline.token', fromHash);
    history.replaceState(null, '', location.pathname + location.search);
  }
  const token = fromHash ?? sessionStorage.getItem('pawline.token') ?? '';
  const socket: Socket = io(location.origin, { auth: { token }, transports: ['websocket'] });
  return {
    invoke: (method, arg) =>
      new Promise<Envelope<unknown>>((resolve) => {
        socket.timeout(120_000).emit(RPC_CHANNEL, method, arg, (err: Error | null, res: Envelope<unknown>) =>
          resolve(err ? { ok: false, error: { code: 'offline', message: 'Lost the connection to Pawline. Is it still running?' } } : res),
        );
      }),
    subscribe: (listener) => {
      const h = (event: string, payload: unknown) => listener(event, payload);
      socket.on(EVENT_CHANNEL, h);
      return () => socket.off(EVENT_CHANNEL, h);
    },
  };
}

export function createClient(raw: RawTransport = window.pawline ?? socketTransport()): ApiClient {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  raw.subscribe((event, payload) => listeners.get(event)?.forEach((l) => l(payload)));
  return {
    async call(method: ApiMethod, ...args: unknown[]) {
      const res = await raw.invoke(method, args[0]);
      if (!res.ok) throw new CallError(res.error.code, res.error.message, res.error.fields);
      return res.value as never;
    },
    on(event: EventName, listener: (p: never) => void) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const l = listener as (p: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
  } as ApiClient;
}
