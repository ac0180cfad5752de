import { appendFileSync, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Operational log. Callers pass only non-personal facts (ids, counts, codes); as a second
 * line of defence anything that looks like a phone, an email or a credential is masked.
 */
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

const PATTERNS: [RegExp, string][] = [
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '<email>'],
  [/\+?\d[\d\s().-]{8,}\d/g, '<phone>'],
  [/\b(AC|SK|MG)[0-9a-fA-F]{32}\b/g, '$1<sid>'],
];

// ISO dates and times look like digit runs too; they carry no personal data and must stay readable.
const DATE_LIKE = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+Z?)?$/;

export function redact(text: string): string {
  let out = text;
  for (const [re, rep] of PATTERNS) out = out.replace(re, (m, ...g) => (rep === '<phone>' && DATE_LIKE.test(m) ? m : rep.replace('$1', String(g[0]))));
  return out;
}

const SECRET_KEYS = /token|secret|pass|password|auth|key/i;

function fmt(fields?: Record<string, unknown>): string {
  if (!fields) return '';
  const parts = Object.entries(fields).map(([k, v]) => `${k}=${SECRET_KEYS.test(k) ? '<secret>' : redact(String(v))}`);
  return parts.length ? ' ' + parts.join(' ') : '';
}

export function createLogger(sink: (line: string) => void = (l) => process.stderr.write(l + '\n')): Logger {
  const write = (level: string, msg: string, fields?: Record<string, unknown>) =>
    sink(`${new Date().toISOString()} ${level} ${redact(msg)}${fmt(fields)}`);
  return {
    info: (m, f) => write('INFO', m, f),
    warn: (m, f) => write('WARN', m, f),
    error: (m, f) => write('ERROR', m, f),
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

const MAX_LOG_BYTES = 5 * 1024 * 1024;

/**
 * A sink that appends to <dataDir>/logs/pawline.log and keeps one previous file, so a packaged
 * Windows app (which has no console) still leaves a trail for the clinic's IT person.
 */
export function fileSink(dataDir: string, alsoStderr = true): (line: string) => void {
  const dir = path.join(dataDir, 'logs');
  const file = path.join(dir, 'pawline.log');
  let ready = false;
  return (line) => {
    if (alsoStderr) process.stderr.write(line + '\n');
    try {
      if (!ready) {
        mkdirSync(dir, { recursive: true });
        ready = true;
      }
      if (existsSync(file) && statSync(file).size > MAX_LOG_BYTES) renameSync(file, file + '.1');
      appendFileSync(file, line + '\n');
    } catch {
      // Logging must never take the desk down.
    }
  };
}
