import { closeSync, createWriteStream, mkdirSync, openSync, readSync, rmSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';

/**
 * The staged changes of one import run, one operation per line, on disk. Reading and normalising
 * (slow, asynchronous, with progress) writes here; applying (one synchronous transaction) reads
 * it back. Memory stays bounded whatever the export's size, and no transaction is ever left open
 * across an await, where other parts of the desk would write into it.
 */
export class SpoolWriter {
  private readonly out: WriteStream;
  private buf: string[] = [];
  private bufLen = 0;
  lines = 0;
  private failed: Error | null = null;

  constructor(readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.out = createWriteStream(file, { encoding: 'utf8', mode: 0o600, highWaterMark: 1 << 20 });
    this.out.on('error', (e) => (this.failed = e));
  }

  write(line: string): void {
    this.buf.push(line);
    this.bufLen += line.length;
    this.lines++;
  }

  /** Hands buffered lines to the stream; awaits when the stream asks to slow down. */
  async flush(force = false): Promise<void> {
    if (this.failed) throw this.failed;
    if (!force && this.bufLen < 256 * 1024) return;
    if (this.buf.length === 0) return;
    const chunk = this.buf.join('\n') + '\n';
    this.buf = [];
    this.bufLen = 0;
    if (!this.out.write(chunk)) await new Promise<void>((resolve) => this.out.once('drain', resolve));
    if (this.failed) throw this.failed;
  }

  async close(): Promise<void> {
    await this.flush(true);
    await new Promise<void>((resolve, reject) => this.out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    if (this.failed) throw this.failed;
  }

  discard(): void {
    this.out.destroy();
    rmSync(this.file, { force: true });
  }
}

/** Reads a spool's lines synchronously, 1 MiB at a time (for use inside a transaction). */
export function* readSpool(file: string): Generator<string> {
  const fd = openSync(file, 'r');
  const decoder = new StringDecoder('utf8');
  const buf = Buffer.alloc(1 << 20);
  let rest = '';
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      const parts = (rest + decoder.write(buf.subarray(0, n))).split('\n');
      rest = parts.pop()!;
      for (const p of parts) yield p;
    }
    rest += decoder.end();
    if (rest) yield rest;
  } finally {
    closeSync(fd);
  }
}
