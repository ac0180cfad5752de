import { Subtitle2, makeStyles, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ComplianceRow, ReportResult } from '../../../src-main/contract';
import { dayLabel, dayLong } from './dates';
import { num, pct, usd } from './format';

// Fluent's status colours, so the charts read like the rest of the desk.
const C = {
  delivered: '#107c10',
  awaiting: '#0f6cbd',
  undelivered: '#f7630c',
  failed: '#c50f1f',
  replies: '#0f6cbd',
  optOuts: '#c50f1f',
  cameIn: '#107c10',
  booked: '#8cbd18',
  none: '#c8c6c4',
};

/** Inline: the shared pl-table rule (element + class) would outrank a generated class. */
const R = { textAlign: 'right' } as const;

const useStyles = makeStyles({
  section: { border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, padding: '12px 16px', display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)', gap: '8px' },
  chart: { height: '260px', minWidth: 0 },
  table: { maxHeight: '240px', overflowY: 'auto' },
});

function Section(props: { title: string; id: string; chart: ReactNode; table: ReactNode; empty?: string | null }) {
  const s = useStyles();
  return (
    <section className={s.section} aria-labelledby={`${props.id}-title`} data-testid={`section-${props.id}`}>
      <Subtitle2 id={`${props.id}-title`}>{props.title}</Subtitle2>
      {props.empty ? (
        <div className="pl-muted">{props.empty}</div>
      ) : (
        <>
          <div className={s.chart} aria-hidden="true">
            {props.chart}
          </div>
          <div className={s.table}>{props.table}</div>
        </>
      )}
    </section>
  );
}

export function DeliveryChart({ r }: { r: ReportResult }) {
  const data = r.days.map((d) => ({ ...d, label: dayLabel(d.day) }));
  return (
    <Section
      id="delivery"
      title="Messages per day by status"
      empty={r.totals.sent ? null : 'No messages went out in this period.'}
      chart={
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" fontSize={12} interval="preserveStartEnd" />
            <YAxis allowDecimals={false} fontSize={12} width={40} />
            <Tooltip />
            <Legend itemSorter={null} />
            <Bar dataKey="delivered" name="Delivered" stackId="s" fill={C.delivered} isAnimationActive={false} />
            <Bar dataKey="awaiting" name="Sent, no report yet" stackId="s" fill={C.awaiting} isAnimationActive={false} />
            <Bar dataKey="undelivered" name="Undelivered" stackId="s" fill={C.undelivered} isAnimationActive={false} />
            <Bar dataKey="failed" name="Failed" stackId="s" fill={C.failed} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      }
      table={
        <table className="pl-table" data-testid="table-delivery">
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col" style={R}>Sent</th>
              <th scope="col" style={R}>Delivered</th>
              <th scope="col" style={R}>No report yet</th>
              <th scope="col" style={R}>Undelivered</th>
              <th scope="col" style={R}>Failed</th>
              <th scope="col" style={R}>Segments</th>
              <th scope="col" style={R}>Est. cost</th>
            </tr>
          </thead>
          <tbody>
            {r.days.map((d) => (
              <tr key={d.day}>
                <th scope="row" style={{ fontWeight: 'normal' }}>{dayLong(d.day)}</th>
                <td style={R}>{num(d.sent)}</td>
                <td style={R}>{num(d.delivered)}</td>
                <td style={R}>{num(d.awaiting)}</td>
                <td style={R}>{num(d.undelivered)}</td>
                <td style={R}>{num(d.failed)}</td>
                <td style={R}>{num(d.segments)}</td>
                <td style={R}>{usd(d.estCost)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              <td style={R}>{num(r.totals.sent)}</td>
              <td style={R}>{num(r.totals.delivered)}</td>
              <td style={R}>{num(r.totals.awaiting)}</td>
              <td style={R}>{num(r.totals.undelivered)}</td>
              <td style={R}>{num(r.totals.failed)}</td>
              <td style={R}>{num(r.totals.segments)}</td>
              <td style={R}>{usd(r.totals.estCost)}</td>
            </tr>
          </tfoot>
        </table>
      }
    />
  );
}

export function EngagementChart({ r }: { r: ReportResult }) {
  const data = r.days.map((d) => ({ label: dayLabel(d.day), replies: d.replies, optOuts: d.optOuts }));
  return (
    <Section
      id="engagement"
      title="Replies and opt-outs per day"
      empty={r.totals.replies || r.totals.optOuts ? null : 'No replies or opt-outs in this period.'}
      chart={
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" fontSize={12} interval="preserveStartEnd" />
            <YAxis allowDecimals={false} fontSize={12} width={40} />
            <Tooltip />
            <Legend itemSorter={null} />
            <Line type="linear" dataKey="replies" name="Replies" stroke={C.replies} strokeWidth={2} dot={false} isAnimationActive={false} />
            <Line type="linear" dataKey="optOuts" name="Opt-outs" stroke={C.optOuts} strokeWidth={2} dot={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      }
      table={
        <div className="pl-row" style={{ alignItems: 'flex-start', gap: 24 }}>
          <table className="pl-table" style={{ width: 'auto', minWidth: 320 }} data-testid="table-engagement">
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col" style={R}>Replies</th>
                <th scope="col" style={R}>Opt-outs</th>
              </tr>
            </thead>
            <tbody>
              {r.days.map((d) => (
                <tr key={d.day}>
                  <th scope="row" style={{ fontWeight: 'normal' }}>{dayLong(d.day)}</th>
                  <td style={R}>{num(d.replies)}</td>
                  <td style={R}>{num(d.optOuts)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="pl-table" style={{ width: 'auto', minWidth: 240 }} data-testid="table-optout-sources">
            <thead>
              <tr>
                <th scope="col">Opt-outs came from</th>
                <th scope="col" style={R}>Count</th>
              </tr>
            </thead>
            <tbody>
              {r.optOutsBySource.length ? (
                r.optOutsBySource.map((o) => (
                  <tr key={o.source}>
                    <td>{o.source}</td>
                    <td style={R}>{num(o.count)}</td>
                  </tr>
                ))
              ) : (
                <tr>
                  <td colSpan={2} className="pl-muted">
                    None
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      }
    />
  );
}

function ComplianceTable({ rows, first, testId }: { rows: ComplianceRow[]; first: string; testId: string }) {
  return (
    <table className="pl-table" data-testid={testId}>
      <thead>
        <tr>
          <th scope="col">{first}</th>
          <th scope="col" style={R}>Reminded</th>
          <th scope="col" style={R}>Came in</th>
          <th scope="col" style={R}>Booked</th>
          <th scope="col" style={R}>Compliance</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((c) => (
          <tr key={c.key}>
            <th scope="row" style={{ fontWeight: 'normal' }}>{c.label}</th>
            <td style={R}>{num(c.reminded)}</td>
            <td style={R}>{num(c.cameIn)}</td>
            <td style={R}>{num(c.booked)}</td>
            <td style={R}>{pct(c.rate)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ComplianceChart({ r }: { r: ReportResult }) {
  const c = r.compliance;
  const data = c.byCategory.map((x) => ({ label: x.label, cameIn: x.cameIn, booked: x.booked, none: x.reminded - x.cameIn - x.booked }));
  return (
    <Section
      id="compliance"
      title="Reminder compliance by service"
      empty={c.services ? null : 'No health reminders went out in this period.'}
      chart={
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} layout="vertical" margin={{ top: 4, right: 8, bottom: 0, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" allowDecimals={false} fontSize={12} />
            <YAxis type="category" dataKey="label" fontSize={12} width={120} />
            <Tooltip />
            <Legend itemSorter={null} />
            <Bar dataKey="cameIn" name="Came in" stackId="c" fill={C.cameIn} isAnimationActive={false} />
            <Bar dataKey="booked" name="Booked" stackId="c" fill={C.booked} isAnimationActive={false} />
            <Bar dataKey="none" name="Not yet" stackId="c" fill={C.none} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      }
      table={
        <div style={{ display: 'grid', gap: 12 }}>
          <div className="pl-muted">
            {num(c.messages)} reminder messages went out; after {num(c.messagesFollowed)} of them at least one pet came in or was booked.
          </div>
          <ComplianceTable rows={c.byCategory} first="Service" testId="table-compliance-category" />
          <ComplianceTable rows={c.byStep} first="Reminder step" testId="table-compliance-step" />
        </div>
      }
    />
  );
}
