/**
 * What the reading side of an import run hands the writing side: a stream of operations (a file
 * starts, a client, a patient, a problem, ...), each with its line and a list of cells. The two
 * sides may run in different threads; a batch of operations then crosses as one string and two
 * integer arrays, which clone (or move) in one piece, where a structured clone of the same records
 * as arrays cost as much as parsing them.
 */

/** A value as it is bound to SQLite: booleans are already 1 or 0. */
export type Cell = string | number | null;

export const OP = {
  /** cells: file name, primary entity or null, entities listed completely (comma-separated) */
  file: 1,
  /** cells: data rows read */
  fileEnd: 2,
  client: 3,
  patient: 4,
  reminder: 5,
  history: 6,
  appointment: 7,
  code: 8,
  /** cells: severity, problem code or null, reason; line -1 when the problem has none */
  problem: 9,
} as const;
export type OpCode = (typeof OP)[keyof typeof OP];

export interface OpSink {
  /** cells belong to the caller once op returns. */
  op(code: OpCode, line: number, cells: Cell[]): void;
}

export interface OpBatch {
  /** Per operation: code, line, number of cells. */
  heads: Int32Array;
  /** Per cell: >= 0 a string of that length; -1 null; <= -2 a number written with -2 - code characters. */
  cells: Int32Array;
  text: string;
  count: number;
}

/** Collects operations into batches of `size` and hands each full batch to `send`. */
export class BatchEncoder implements OpSink {
  private heads!: Int32Array;
  private cells!: Int32Array;
  private text = '';
  private count = 0;
  private cellCount = 0;

  constructor(
    private readonly send: (b: OpBatch) => void,
    private readonly size = 2048,
  ) {
    this.reset();
  }

  op(code: OpCode, line: number, cells: Cell[]): void {
    const h = this.count * 3;
    this.heads[h] = code;
    this.heads[h + 1] = line;
    this.heads[h + 2] = cells.length;
    if (this.cellCount + cells.length > this.cells.length) {
      const grown = new Int32Array(Math.max(this.cells.length * 2, this.cellCount + cells.length));
      grown.set(this.cells);
      this.cells = grown;
    }
    let k = this.cellCount;
    for (let i = 0; i < cells.length; i++) {
      const v = cells[i];
      if (v === null) this.cells[k++] = -1;
      else if (typeof v === 'number') {
        const s = String(v);
        this.text += s;
        this.cells[k++] = -2 - s.length;
      } else {
        this.text += v;
        this.cells[k++] = v.length;
      }
    }
    this.cellCount = k;
    if (++this.count >= this.size) this.flush();
  }

  /** Sends what is collected, if anything. */
  flush(): void {
    if (this.count === 0) return;
    const b: OpBatch = { heads: this.heads, cells: this.cells, text: this.text, count: this.count };
    this.reset();
    this.send(b);
  }

  private reset(): void {
    this.heads = new Int32Array(this.size * 3);
    this.cells = new Int32Array(this.size * 24);
    this.text = '';
    this.count = 0;
    this.cellCount = 0;
  }
}

/** Replays a batch into a sink, in order. The cells array is reused: a sink must not keep it. */
export function decodeBatch(b: OpBatch, sink: OpSink): void {
  const { heads, cells: codes, text } = b;
  const cells: Cell[] = [];
  let pos = 0;
  let k = 0;
  for (let o = 0; o < b.count; o++) {
    const n = heads[o * 3 + 2];
    cells.length = n;
    for (let i = 0; i < n; i++) {
      const c = codes[k++];
      if (c >= 0) {
        cells[i] = text.slice(pos, pos + c);
        pos += c;
      } else if (c === -1) cells[i] = null;
      else {
        const len = -2 - c;
        cells[i] = Number(text.slice(pos, pos + len));
        pos += len;
      }
    }
    sink.op(heads[o * 3] as OpCode, heads[o * 3 + 1], cells);
  }
}

/** The buffers a batch can move (not copy) to another thread. */
export function batchTransfer(b: OpBatch): ArrayBuffer[] {
  return [b.heads.buffer as ArrayBuffer, b.cells.buffer as ArrayBuffer];
}
