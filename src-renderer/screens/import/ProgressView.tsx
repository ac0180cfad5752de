import { ProgressBar, Text } from '@fluentui/react-components';
import type { ImportProgress } from '../../../src-main/contract';
import { n } from './format';

const PHASE: Record<ImportProgress['phase'], string> = {
  hashing: 'Checking which files changed…',
  reading: 'Reading',
  saving: 'Saving to the database…',
  done: 'Done',
  failed: 'Stopped',
};

/** The running import: which file, how far, rows read and rows per second. */
export function ProgressView({ p }: { p: ImportProgress }) {
  const determinate = p.phase === 'reading' && p.bytesTotal > 0;
  return (
    <div className="pl-import-progress" data-testid="import-progress" aria-live="polite">
      <div className="pl-row" style={{ justifyContent: 'space-between' }}>
        <Text weight="semibold">
          {PHASE[p.phase]}
          {p.phase === 'reading' && p.file ? ` ${p.file} (file ${p.fileIndex} of ${p.fileCount})` : ''}
        </Text>
        <Text data-testid="import-progress-rate">
          {n(p.rows)} rows{p.rowsPerSecond ? ` · ${n(p.rowsPerSecond)} rows/s` : ''}
        </Text>
      </div>
      <ProgressBar thickness="large" value={determinate ? p.bytesDone / p.bytesTotal : undefined} />
    </div>
  );
}
