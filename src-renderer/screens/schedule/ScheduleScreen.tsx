import {
  Badge,
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Input,
  MessageBar,
  MessageBarBody,
  Spinner,
  Textarea,
  Title3,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { ScheduleAppointment, ScheduleConfirmState, ScheduleMessageKind } from '../../../src-main/contract';
import { useApi, useQuery } from '../../api/context';
import { CallError } from '../../api/transport';
import { newRequestId } from '../inbox/staff';
import { useMe } from '../inbox/staff';
import { useClinicFormat } from '../../ui/format';
import { label } from '../../ui/labels';

const CONFIRM: Record<ScheduleConfirmState, { label: string; color: 'success' | 'warning' | 'danger' | 'informative' | 'subtle' }> = {
  none: { label: 'not asked', color: 'subtle' },
  requested: { label: 'requested', color: 'informative' },
  confirmed: { label: 'confirmed', color: 'success' },
  reschedule: { label: 'reschedule wanted', color: 'warning' },
  'no-answer': { label: 'no answer', color: 'danger' },
};

function shift(date: string, days: number): string {
  const d = new Date(date + 'T12:00:00Z');
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function clock(startLocal: string): string {
  const [h, m] = startLocal.slice(11, 16).split(':').map(Number);
  const h12 = ((h! + 11) % 12) + 1;
  return `${h12}:${String(m).padStart(2, '0')} ${h! < 12 ? 'AM' : 'PM'}`;
}

/** Any day's appointments with confirmation and arrival state, and one click to text the owner. */
export function ScheduleScreen() {
  const api = useApi();
  const [me] = useMe();
  const f = useClinicFormat();
  const [date, setDate] = useState<string | undefined>(undefined);
  const { data, error, reload } = useQuery('schedule.day', [{ date }], { refreshOn: ['schedule.changed', 'inbox.changed'] });
  const [banner, setBanner] = useState<{ intent: 'success' | 'error' | 'warning'; text: string } | null>(null);
  const [custom, setCustom] = useState<ScheduleAppointment | null>(null);
  const [customBody, setCustomBody] = useState('');
  const [quiet, setQuiet] = useState<{ a: ScheduleAppointment; kind: ScheduleMessageKind; body?: string; message: string; legalOpen: boolean } | null>(null);

  const message = async (a: ScheduleAppointment, kind: ScheduleMessageKind, body?: string, quietHours?: 'wait' | 'override') => {
    setBanner(null);
    try {
      await api.call('schedule.message', { appointmentId: a.id, kind, body, requestId: newRequestId(), staff: me || null, quietHours });
      setQuiet(null);
      setCustom(null);
      setBanner({ intent: 'success', text: `Text to ${a.clientName ?? 'the owner'} queued.` });
      reload();
    } catch (e) {
      if (e instanceof CallError && e.code === 'quiet-hours') setQuiet({ a, kind, body, message: e.message, legalOpen: e.fields?.legalOpen === 'true' });
      else setBanner({ intent: 'error', text: e instanceof Error ? e.message : String(e) });
    }
  };
  const openThread = async (a: ScheduleAppointment) => {
    try {
      const id = a.conversationId ?? (await api.call('inbox.openForClient', { clientId: a.clientId! })).id;
      location.hash = `#/inbox?c=${id}`;
    } catch (e) {
      setBanner({ intent: 'error', text: e instanceof Error ? e.message : String(e) });
    }
  };
  const setState = (a: ScheduleAppointment, patch: { confirmState?: ScheduleConfirmState; arrived?: boolean }) =>
    api
      .call('schedule.setState', { appointmentId: a.id, ...patch, by: me || null })
      .then(reload)
      .catch((e: Error) => setBanner({ intent: 'error', text: e.message }));

  if (error) return <div className="pl-warn">{error.message}</div>;
  if (!data) return <Spinner label="Loading the schedule…" />;
  const c = data.counts;
  return (
    <div className="pl-schedule" data-testid="schedule">
      <div className="pl-row">
        <Title3>Schedule</Title3>
        <Button size="small" onClick={() => setDate(shift(data.date, -1))} aria-label="Previous day">
          ◀
        </Button>
        <Input type="date" value={data.date} onChange={(_, d) => d.value && setDate(d.value)} data-testid="schedule-date" />
        <Button size="small" onClick={() => setDate(shift(data.date, 1))} aria-label="Next day">
          ▶
        </Button>
        <Button size="small" onClick={() => setDate(undefined)}>
          Today
        </Button>
        <span className="pl-muted" data-testid="schedule-counts">
          {f.num(c.total)} appointments · {f.num(c.confirmed)} confirmed · {c.requested} awaiting answer · {c.noAnswer} no answer · {c.reschedule} to reschedule · {c.arrived} arrived
        </span>
      </div>
      {banner && (
        <MessageBar intent={banner.intent}>
          <MessageBarBody>{banner.text}</MessageBarBody>
        </MessageBar>
      )}
      {data.appointments.length === 0 ? (
        <p className="pl-muted">No appointments on this day in the last import.</p>
      ) : (
        <table className="pl-table">
          <thead>
            <tr>
              <th>Time{f.labelled ? ` (${f.zoneName})` : ''}</th>
              <th>Pet</th>
              <th>Owner</th>
              <th>Reason</th>
              <th>Doctor</th>
              <th>Confirmation</th>
              <th>Arrival</th>
              <th>Message</th>
            </tr>
          </thead>
          <tbody>
            {data.appointments.map((a) => {
              const cancelled = /cancel|no.?show/i.test(a.pimsStatus);
              return (
                <tr key={a.id} data-testid={`appt-${a.id}`} className={cancelled ? 'pl-cancelled' : undefined}>
                  <td title={`Clinic time (${data.timeZone})`}>{clock(a.startLocal)}</td>
                  <td>
                    {a.petName ?? '—'} <span className="pl-muted">{a.species ?? ''}</span>
                  </td>
                  <td>
                    {a.clientName ?? '—'}
                    {a.smsTo && a.clientId !== null && (
                      <>
                        {' '}
                        <Button size="small" appearance="transparent" onClick={() => void openThread(a)} title="Open the conversation in the inbox">
                          thread
                        </Button>
                      </>
                    )}
                  </td>
                  <td>{a.reason ?? ''}</td>
                  <td>{a.doctor ?? ''}</td>
                  <td>
                    {cancelled ? (
                      <Badge appearance="outline">{a.pimsStatus}</Badge>
                    ) : (
                      <Badge appearance="tint" color={CONFIRM[a.confirmState].color} data-testid="confirm-state">
                        {a.confirmedInPims ? 'Confirmed in PIMS' : CONFIRM[a.confirmState].label}
                      </Badge>
                    )}
                    {!cancelled && a.confirmState !== 'confirmed' && (
                      <Button size="small" appearance="subtle" onClick={() => void setState(a, { confirmState: 'confirmed' })} title="Confirmed by phone or at the desk">
                        Mark confirmed
                      </Button>
                    )}
                  </td>
                  <td>
                    {a.arrivedAt ? (
                      <Badge color="success" data-testid="arrived">
                        arrived {f.time(a.arrivedAt)}
                      </Badge>
                    ) : (
                      !cancelled && (
                        <Button size="small" appearance="subtle" onClick={() => void setState(a, { arrived: true })}>
                          Mark arrived
                        </Button>
                      )
                    )}
                  </td>
                  <td>
                    {a.smsTo ? (
                      <div className="pl-row">
                        <Button size="small" onClick={() => void message(a, 'come-in')} data-testid="msg-come-in">
                          Come in
                        </Button>
                        <Button size="small" onClick={() => void message(a, 'ready')} data-testid="msg-ready">
                          Ready for pickup
                        </Button>
                        <Button
                          size="small"
                          onClick={() => {
                            setCustomBody('');
                            setCustom(a);
                          }}
                        >
                          Text…
                        </Button>
                        {a.lastMessage && (
                          <span className="pl-muted">
                            {label(a.lastMessage.kind)}: {label(a.lastMessage.status).toLowerCase()}
                          </span>
                        )}
                      </div>
                    ) : (
                      <span className="pl-muted">{a.smsBlocked}</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <Dialog open={!!custom} onOpenChange={(_, d) => !d.open && setCustom(null)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>Text {custom?.clientName ?? 'the owner'}</DialogTitle>
            <DialogContent>
              <Textarea style={{ width: '100%' }} value={customBody} onChange={(_, d) => setCustomBody(d.value)} placeholder="{{pet.name}} is ready…" />
            </DialogContent>
            <DialogActions>
              <Button onClick={() => setCustom(null)}>Cancel</Button>
              <Button appearance="primary" disabled={!customBody.trim()} onClick={() => custom && void message(custom, 'custom', customBody)}>
                Send
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
      <Dialog open={!!quiet} onOpenChange={(_, d) => !d.open && setQuiet(null)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>Quiet hours</DialogTitle>
            <DialogContent>{quiet?.message}</DialogContent>
            <DialogActions>
              <Button onClick={() => setQuiet(null)}>Cancel</Button>
              <Button onClick={() => quiet && void message(quiet.a, quiet.kind, quiet.body, 'wait')}>Wait for the morning</Button>
              {quiet?.legalOpen && (
                <Button appearance="primary" onClick={() => quiet && void message(quiet.a, quiet.kind, quiet.body, 'override')}>
                  Send now anyway
                </Button>
              )}
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </div>
  );
}
