/**
 * Runs sandboxed before the page. Exposes exactly the contract's RawTransport as
 * `window.pawline` — two functions, no ipcRenderer, no Node — so the renderer can reach the
 * core only through the typed API the web host also serves.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, RPC_CHANNEL, type Envelope, type RawTransport } from '../contract';

const transport: RawTransport = {
  invoke(method: string, arg: unknown): Promise<Envelope<unknown>> {
    return ipcRenderer.invoke(RPC_CHANNEL, String(method), arg) as Promise<Envelope<unknown>>;
  },
  subscribe(listener: (event: string, payload: unknown) => void): () => void {
    // Never hand the IpcRendererEvent to the page: it carries `sender` (the ipcRenderer).
    const handler = (_e: IpcRendererEvent, event: string, payload: unknown) => listener(event, payload);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('pawline', transport);
