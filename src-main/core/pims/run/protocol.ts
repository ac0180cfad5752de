/**
 * How the threads of an import run talk. The importer (main thread) starts a writer thread with
 * its own connection to the desk's database, which holds the run's one transaction; the reading
 * side (a thread of its own, or the main thread of a command-line process) sends it operations
 * over a MessagePort. A small shared array carries what must not wait for an event loop: how many
 * batches are in flight (the reader waits above MAX_IN_FLIGHT, so memory stays flat), whether the
 * writer gave up (the reader stops), and the answer to a test's step hook.
 */
import type { ImportFileSummary, ImportRunSummary } from '../../../contract';
import { ApiError } from '../../shared/errors';
import { TokenizeError } from '../decode/tokenizer';
import type { OpBatch } from './ops';
import type { ParseOutcome, ParsePlan, ParseProgress } from './parse';
import type { RunMeta, RunTally } from './summary';
import type { RunProblem } from './writer';

export const SYNC_IN_FLIGHT = 0;
export const SYNC_STOP = 1;
export const SYNC_HOOK = 2;
export const SYNC_SLOTS = 4;
export const MAX_IN_FLIGHT = 4;

export const HOOK_WAITING = 0;
export const HOOK_OK = 1;
export const HOOK_THREW = 2;

export interface WriteRequest {
  dbPath: string;
  meta: RunMeta;
  /** Every planned file; the writer fills in the rows read. */
  files: ImportFileSummary[];
  /** Problems found while planning (files not recognised, ...). */
  fileProblems: RunProblem[];
  /** updated_at of the rows written. */
  now: string;
  allowMassRemoval: boolean;
  /** Date.now() when the run started, for its duration. */
  startEpochMs: number;
  /** The desk clock minus Date.now(), so finishedAt follows the desk's clock. */
  clockSkewMs: number;
  /** A test's step hook is waiting in the main thread. */
  stepHook: boolean;
}

export interface ReadRequest {
  plan: ParsePlan;
}

/** Reading side -> writer, over the run's port. */
export type OpsMessage = { t: 'batch'; b: OpBatch } | { t: 'end'; outcome: ParseOutcome } | { t: 'abort'; error: WireError };

/** Writer -> main thread. */
export type WriterMessage =
  | { t: 'step'; step: string }
  | { t: 'done'; summary: ImportRunSummary }
  | { t: 'failed'; error: WireError; tally: RunTally; problems: RunProblem[]; overflow: number; fileRows: [string, number][] };

/** Reading thread -> main thread. */
export type ReaderMessage = { t: 'progress'; p: ParseProgress } | { t: 'parsed' };

/** An error as it crosses threads: enough to tell the desk what happened, and where. */
export interface WireError {
  name: string;
  message: string;
  /** ApiError code. */
  code?: string;
  fields?: Record<string, string>;
  /** A TokenizeError's line and code. */
  tokenLine?: number;
  tokenCode?: TokenizeError['code'];
  problemFile?: string;
  problemLine?: number;
  stack?: string;
}

export function toWire(e: unknown): WireError {
  const err = e instanceof Error ? e : new Error(String(e));
  const extra = err as Error & { problemFile?: string; problemLine?: number };
  const w: WireError = { name: err.name, message: err.message, stack: err.stack, problemFile: extra.problemFile, problemLine: extra.problemLine };
  if (err instanceof ApiError) {
    w.code = err.code;
    w.fields = err.fields;
  }
  if (err instanceof TokenizeError) {
    w.tokenLine = err.line;
    w.tokenCode = err.code;
  }
  return w;
}

export function fromWire(w: WireError): Error {
  let e: Error;
  if (w.code !== undefined) e = new ApiError(w.code, w.message, w.fields);
  else if (w.tokenCode !== undefined) e = new TokenizeError(w.message, w.tokenLine ?? 0, w.tokenCode);
  else {
    e = new Error(w.message);
    e.name = w.name;
  }
  if (w.stack) e.stack = w.stack;
  return Object.assign(e, w.problemFile !== undefined ? { problemFile: w.problemFile } : {}, w.problemLine !== undefined ? { problemLine: w.problemLine } : {});
}
