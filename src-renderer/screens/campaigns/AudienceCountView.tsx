import { Text } from '@fluentui/react-components';
import type { AudienceCount, SuppressionReason } from '../../../src-main/contract';
import { lowerLabel } from '../../ui/labels';
import { num } from './labels';

/** Recipients by channel and language, suppressed by reason, and who misses one channel. */
export function AudienceSummary({ count }: { count: AudienceCount }) {
  const reasons = (Object.entries(count.suppressed.byReason) as [SuppressionReason, number][]).filter(([, n]) => n > 0);
  const gaps = (ch: 'sms' | 'email') => Object.entries(count.channelGaps[ch]).filter(([, n]) => n > 0);
  return (
    <div style={{ display: 'grid', gap: 4 }} data-testid="audience-count">
      <Text>
        <strong data-testid="audience-recipients">{num(count.recipients)}</strong> recipients of {num(count.matched)} matching clients:{' '}
        <strong data-testid="audience-sms">{num(count.byChannel.sms)}</strong> texts, <strong data-testid="audience-email">{num(count.byChannel.email)}</strong> emails
        {count.recipients ? ` (English ${num(count.byLanguage.en)}, French ${num(count.byLanguage.fr)}, Spanish ${num(count.byLanguage.es)})` : ''}.
      </Text>
      <Text data-testid="audience-suppressed">
        <strong>{num(count.suppressed.total)}</strong> suppressed{reasons.length ? ': ' : '.'}
        {reasons.map(([r, n]) => `${num(n)} ${lowerLabel(r)}`).join(', ')}
      </Text>
      {(['sms', 'email'] as const).map((ch) =>
        gaps(ch).length ? (
          <Text key={ch} className="pl-muted" size={200}>
            Reached without {ch === 'sms' ? 'a text' : 'an email'}: {gaps(ch).map(([w, n]) => `${num(n)} ${lowerLabel(w)}`).join(', ')}
          </Text>
        ) : null,
      )}
    </div>
  );
}
