import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { OfflineMode } from './types';

/**
 * An http server that can play "network down": refuse (stop listening, so connects get ECONNREFUSED),
 * reset (accept and drop at once), or hang (accept and never answer, so clients time out).
 */
export class Listener {
  readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly parked = new Set<http.ServerResponse>();
  private mode: OfflineMode | null = null;
  private host = '127.0.0.1';
  port = 0;

  constructor(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
    this.server = http.createServer((req, res) => {
      if (this.mode === 'reset') return void req.socket.destroy();
      if (this.mode === 'hang') return void this.parked.add(res);
      handler(req, res);
    });
    // Longer than any client idle timeout, so a pooled socket is never closed under a request being sent.
    this.server.keepAliveTimeout = 120_000;
    this.server.on('connection', (s: Socket) => {
      if (this.mode === 'reset' || this.mode === 'refuse') return void s.destroy();
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  async listen(port: number, host: string): Promise<void> {
    this.host = host;
    await new Promise<void>((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  get offline(): boolean {
    return this.mode !== null;
  }

  private dropAll(): void {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    this.parked.clear();
  }

  async setOffline(mode: OfflineMode | null): Promise<void> {
    const was = this.mode;
    if (was === mode) return;
    this.mode = mode;
    this.dropAll();
    if (mode === 'refuse') await new Promise<void>((r) => this.server.close(() => r()));
    if (was === 'refuse' && mode !== 'refuse') await this.listen(this.port, this.host);
  }

  async close(): Promise<void> {
    this.dropAll();
    if (this.server.listening) await new Promise<void>((r) => this.server.close(() => r()));
  }
}
