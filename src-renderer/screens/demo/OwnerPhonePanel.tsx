import { Card, CardHeader, Select, Subtitle2, Text } from '@fluentui/react-components';
import type { DemoPhone } from '../../../src-main/contract';
import { useQuery } from '../../api/context';
import { currentFormat } from '../../ui/format';
import { lowerLabel } from '../../ui/labels';

const time = (iso: string) => currentFormat().dateTime(iso);

/** What one owner's phone shows: the clinic's texts and the owner's replies, with Twilio's status. */
export function OwnerPhonePanel({ phones, selected, onSelect }: { phones: DemoPhone[]; selected: string | null; onSelect: (n: string) => void }) {
  const { data: thread } = useQuery('demo.phone', [{ number: selected ?? '' }], { refreshOn: ['demo.changed'], deps: [selected] });
  const active = phones.filter((p) => p.received || p.sent);
  return (
    <Card className="pl-demo-phone">
      <CardHeader header={<Subtitle2>Owner's phone</Subtitle2>} description={<Text className="pl-muted">{active.length} owners have texts so far</Text>} />
      <Select aria-label="Owner" data-testid="demo-phone-select" value={selected ?? ''} onChange={(_, d) => onSelect(d.value)}>
        {phones.map((p) => (
          <option key={p.number} value={p.number}>
            {(p.label ? `${p.label} — ` : '') + p.number + (p.received || p.sent ? ` (${p.received} in, ${p.sent} out)` : '')}
          </option>
        ))}
      </Select>
      <div className="pl-demo-thread" data-testid="demo-phone-thread">
        {!selected || !thread ? null : thread.length === 0 ? (
          <Text className="pl-muted">No texts yet for this number.</Text>
        ) : (
          thread.map((m) => (
            <div key={m.sid} className={m.direction === 'to-owner' ? 'bubble in' : 'bubble out'} data-direction={m.direction}>
              <div>{m.body}</div>
              <small>
                {m.direction === 'to-owner' ? 'from the clinic' : 'sent by the owner'} · {time(m.at)} · {lowerLabel(m.status)}
                {m.errorCode ? ` (error ${m.errorCode})` : ''}
                {m.segments > 1 ? ` · ${m.segments} segments` : ''}
              </small>
            </div>
          ))
        )}
      </div>
    </Card>
  );
}
