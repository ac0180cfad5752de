import { Dropdown, Field, Option, Spinner, Text } from '@fluentui/react-components';
import { useState } from 'react';
import type { PlanSummary } from '../../../src-main/contract';
import { useQuery } from '../../api/context';
import { useClinicFormat } from '../../ui/format';
import { label } from '../../ui/labels';
import { Pager } from '../../ui/Pager';

const PAGE = 100;

/** Everything the plan held back, with the reason it shows. */
export function SuppressedPanel({ plan }: { plan: PlanSummary | null }) {
  const [reason, setReason] = useState<string>('');
  const [offset, setOffset] = useState(0);
  const { num } = useClinicFormat();
  const runId = plan?.runId ?? undefined;
  const { data, loading, error } = useQuery('reminders.plan.suppressed', [{ runId, reason: reason || undefined, offset, limit: PAGE }], { refreshOn: ['reminders.planned'], deps: [runId] });
  const reasons = [...Object.keys(plan?.reminders.suppressed ?? {}), ...Object.keys(plan?.appointments.skipped ?? {}).filter((k) => !(k in (plan?.reminders.suppressed ?? {})))];
  if (!runId) return <Text className="pl-muted">Run the plan (not as a dry run) to list what it held back.</Text>;
  return (
    <div className="pl-rem">
      <div className="pl-row">
        <Field label="Reason">
          <Dropdown
            value={reason ? label(reason) : 'All reasons'}
            selectedOptions={[reason]}
            onOptionSelect={(_, d) => {
              setOffset(0);
              setReason(d.optionValue ?? '');
            }}
            data-testid="suppressed-reason"
          >
            <Option value="">All reasons</Option>
            {reasons.map((r) => (
              <Option key={r} value={r}>
                {label(r)}
              </Option>
            ))}
          </Dropdown>
        </Field>
        {loading ? <Spinner size="tiny" /> : null}
      </div>
      {error ? <div className="pl-warn">{error.message}</div> : null}
      {data ? (
        <>
          <Text className="pl-muted">{num(data.total)} held back.</Text>
          <table className="pl-table" data-testid="plan-suppressed-list">
            <thead>
              <tr>
                <th>Client</th>
                <th>Pet</th>
                <th>Service / message</th>
                <th>Due</th>
                <th>Reason</th>
                <th>Detail</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r, i) => (
                <tr key={`${offset}-${i}`}>
                  <td>{r.clientName || (r.clientId ? `Client ${r.clientId}` : '')}</td>
                  <td>{r.petName}</td>
                  <td>{r.kind === 'appointment' ? `Appointment ${r.step === 'dayof' ? 'day-of reminder' : 'confirmation'}` : r.code}</td>
                  <td>{r.dueDate ?? ''}</td>
                  <td>{label(r.reason)}</td>
                  <td className="pl-rem-why">{r.detail ?? ''}</td>
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
