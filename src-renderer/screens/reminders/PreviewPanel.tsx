import { Badge, Dropdown, Field, Option, Spinner, Text } from '@fluentui/react-components';
import { useState } from 'react';
import type { PlanChannel, PlanSummary } from '../../../src-main/contract';
import { useQuery } from '../../api/context';
import { useClinicFormat } from '../../ui/format';
import { CHANNEL_LABEL } from './labels';
import { Pager } from '../../ui/Pager';

const PAGE = 50;

/** The exact text each household will receive, with segments and cost for texts. */
export function PreviewPanel({ plan, filter, setFilter }: { plan: PlanSummary | null; filter: { step?: string; channel?: PlanChannel }; setFilter: (f: { step?: string; channel?: PlanChannel }) => void }) {
  const [offset, setOffset] = useState(0);
  const f = useClinicFormat();
  const { num, money } = f;
  const runId = plan?.runId ?? undefined;
  const { data, loading, error } = useQuery('reminders.plan.preview', [{ runId, step: filter.step, channel: filter.channel, offset, limit: PAGE }], { refreshOn: ['reminders.planned'], deps: [runId] });
  const steps = [...new Map((plan?.reminders.byStep ?? []).map((b) => [b.step, b.label])).entries()];
  if (!runId) return <Text className="pl-muted">Run the plan (not as a dry run) to preview its messages.</Text>;
  return (
    <div className="pl-rem">
      <div className="pl-row">
        <Field label="Step">
          <Dropdown
            value={steps.find(([id]) => id === filter.step)?.[1] ?? 'All steps'}
            selectedOptions={[filter.step ?? '']}
            onOptionSelect={(_, d) => {
              setOffset(0);
              setFilter({ ...filter, step: d.optionValue || undefined });
            }}
          >
            <Option value="">All steps</Option>
            {steps.map(([id, label]) => (
              <Option key={id} value={id}>
                {label}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Field label="Channel">
          <Dropdown
            value={filter.channel ? CHANNEL_LABEL[filter.channel] : 'All channels'}
            selectedOptions={[filter.channel ?? '']}
            onOptionSelect={(_, d) => {
              setOffset(0);
              setFilter({ ...filter, channel: (d.optionValue || undefined) as PlanChannel | undefined });
            }}
          >
            <Option value="">All channels</Option>
            <Option value="sms">Text</Option>
            <Option value="email">Email</Option>
            <Option value="postcard">Postcard</Option>
          </Dropdown>
        </Field>
        {loading ? <Spinner size="tiny" /> : null}
      </div>
      {error ? <div className="pl-warn">{error.message}</div> : null}
      {data ? (
        <>
          <Text className="pl-muted">
            {num(data.total)} messages{data.total > PAGE ? `, showing ${offset + 1}–${Math.min(offset + PAGE, data.total)}` : ''}.
          </Text>
          <table className="pl-table" data-testid="plan-preview">
            <thead>
              <tr>
                <th>Household</th>
                <th>Channel</th>
                <th>Message</th>
                <th>Segments</th>
                <th>Cost</th>
                <th>Goes out{f.labelled ? ` (clinic time, ${f.zoneName})` : ''}</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r) => (
                <tr key={r.id}>
                  <td>
                    <div>{r.clientName || `Client ${r.clientId}`}</div>
                    <div className="pl-muted">
                      {r.pets} pet{r.pets === 1 ? '' : 's'}, {r.services} service{r.services === 1 ? '' : 's'}
                    </div>
                    <Badge appearance="tint" color={r.status === 'queued' ? 'success' : 'informative'}>
                      {r.status === 'queued' ? 'queued' : 'waiting for approval'}
                    </Badge>
                  </td>
                  <td>{CHANNEL_LABEL[r.channel]}</td>
                  <td>
                    {r.subject ? <div style={{ fontWeight: 600 }}>{r.subject}</div> : null}
                    <div className="pl-rem-preview-body">{r.body}</div>
                  </td>
                  <td>{r.segments ?? ''}</td>
                  <td>{r.estCost != null ? money(r.estCost) : ''}</td>
                  <td>{f.dateTime(r.notBefore)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager offset={offset} pageSize={PAGE} total={data.total} onChange={setOffset} />
        </>
      ) : null}
    </div>
  );
}
