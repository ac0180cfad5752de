import type { ImportDelimiter, ImportEncoding, ImportRunSummary } from '../../../src-main/contract';
import { currentFormat } from '../../ui/format';

export const n = (x: number) => currentFormat().num(x);

export function bytes(b: number): string {
  if (b < 1024) return `${b} B`;
  if (b < 1024 * 1024) return `${(b / 1024).toFixed(0)} KB`;
  return `${(b / 1024 / 1024).toFixed(1)} MB`;
}

export function when(iso: string | null): string {
  return currentFormat().when(iso);
}

export function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export const DELIMITER_LABEL: Record<ImportDelimiter, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };
export const ENCODING_LABEL: Record<ImportEncoding, string> = {
  'utf-8': 'UTF-8',
  'utf-8-bom': 'UTF-8 (BOM)',
  'windows-1252': 'Windows-1252',
  'utf-16le': 'UTF-16',
  'utf-16be': 'UTF-16 BE',
};

export const STATUS_COLOR: Record<ImportRunSummary['status'], 'success' | 'informative' | 'danger' | 'warning'> = {
  ok: 'success',
  unchanged: 'informative',
  failed: 'danger',
  running: 'warning',
};
