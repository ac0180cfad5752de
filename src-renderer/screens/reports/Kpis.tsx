import { makeStyles, tokens } from '@fluentui/react-components';
import type { ReportResult } from '../../../src-main/contract';
import { num, pct, usd } from './format';

const useStyles = makeStyles({
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(150px, 1fr))', gap: '10px' },
  tile: {
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: '8px 12px',
    backgroundColor: tokens.colorNeutralBackground1,
  },
  label: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  value: { fontSize: tokens.fontSizeHero700, fontWeight: tokens.fontWeightSemibold, lineHeight: tokens.lineHeightHero700 },
  sub: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
});

export function Kpis({ r }: { r: ReportResult }) {
  const s = useStyles();
  const t = r.totals;
  const c = r.compliance;
  const tiles: { id: string; label: string; value: string; sub: string }[] = [
    { id: 'sent', label: 'Sent', value: num(t.sent), sub: `${num(t.awaiting)} without a delivery report yet` },
    { id: 'delivered', label: 'Delivered', value: num(t.delivered), sub: `${pct(t.deliveryRate)} of texts with a final report` },
    { id: 'failed', label: 'Failed or undelivered', value: num(t.failed + t.undelivered), sub: `${num(t.failed)} failed, ${num(t.undelivered)} undelivered` },
    { id: 'replies', label: 'Replies', value: num(t.replies), sub: 'texts from owners' },
    { id: 'optouts', label: 'Opt-outs', value: num(t.optOuts), sub: r.optOutsBySource.map((o) => `${num(o.count)} ${o.source}`).join(', ') || 'none' },
    { id: 'cost', label: 'Estimated cost', value: usd(t.estCost), sub: `${num(t.segments)} SMS segments` },
    { id: 'compliance', label: 'Reminder compliance', value: pct(c.rate), sub: `${num(c.cameIn + c.booked)} of ${num(c.services)} reminded services` },
  ];
  return (
    <div className={s.grid} role="list" aria-label="Key figures">
      {tiles.map((x) => (
        <div key={x.id} className={s.tile} role="listitem" data-testid={`kpi-${x.id}`}>
          <div className={s.label}>{x.label}</div>
          <div className={s.value}>{x.value}</div>
          <div className={s.sub}>{x.sub}</div>
        </div>
      ))}
    </div>
  );
}
