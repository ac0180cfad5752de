import { Badge, Spinner, Subtitle2, Switch, Text, Title3 } from '@fluentui/react-components';
import { useState } from 'react';
import type { ClientDetail, ContactPointView, PatientView, ReminderState } from '../../../src-main/contract';
import { useApi, useQuery } from '../../api/context';
import { CallError } from '../../api/transport';
import { label } from '../../ui/labels';

const STATE: Record<ReminderState, { label: string; color: 'success' | 'danger' | 'warning' | 'informative' | 'subtle' }> = {
  satisfied: { label: 'done', color: 'success' },
  overdue: { label: 'overdue', color: 'danger' },
  'due-soon': { label: 'due soon', color: 'warning' },
  upcoming: { label: 'upcoming', color: 'informative' },
  suspended: { label: 'suspended', color: 'subtle' },
  'not-sent': { label: 'not sent (pet deceased or inactive)', color: 'subtle' },
};

const TYPE_LABEL: Record<string, string> = { cell: 'Cell', home: 'Home', work: 'Work', other: 'Phone' };

function date(d: string | null): string {
  if (!d) return '';
  const [y, m, day] = d.split('-').map(Number);
  return new Date(y, m - 1, day).toLocaleDateString([], { year: 'numeric', month: 'short', day: 'numeric' });
}

function ContactRow({ c, onOpen, clientId, onChanged }: { c: ContactPointView; onOpen: (id: number) => void; clientId: number; onChanged: (d: ClientDetail) => void }) {
  return (
    <tr data-testid={`contact-${c.kind}-${c.position}`}>
      <td>{c.kind === 'email' ? 'Email' : TYPE_LABEL[c.phoneType ?? 'other'] ?? 'Phone'}</td>
      <td>
        {c.display}
        {c.extension ? ` ext. ${c.extension}` : ''}
      </td>
      <td className="pl-row" style={{ gap: 4 }}>
        {c.smsCapable && (
          <Badge appearance="tint" color="success">
            can text
          </Badge>
        )}
        {c.kind === 'phone' && c.valid && !c.smsCapable && (
          <Badge appearance="tint" color="informative">
            {c.extension ? 'extension: calls only' : 'not textable'}
          </Badge>
        )}
        {!c.valid && (
          <Badge appearance="tint" color="danger" title={`As written in the PIMS: ${c.raw}`}>
            invalid{c.kind === 'email' ? `: ${c.raw}` : ''}
          </Badge>
        )}
        {c.sharedWith.length > 0 && (
          <span className="pl-client-shared" data-testid="contact-shared">
            <Badge appearance="tint" color="warning">
              shared
            </Badge>{' '}
            with{' '}
            {c.sharedWith.slice(0, 3).map((s, i) => (
              <span key={s.clientId}>
                {i > 0 && ', '}
                <button type="button" className="pl-linkish" onClick={() => onOpen(s.clientId)}>
                  {s.name}
                </button>
              </span>
            ))}
            {c.sharedWith.length > 3 && ` and ${c.sharedWith.length - 3} more`}
          </span>
        )}
        {c.optedOut && (
          <Badge appearance="tint" color="danger">
            opted out
          </Badge>
        )}
      </td>
      <td>
        {c.value && c.valid && (c.kind === 'email' || c.smsCapable) && !c.optedOut && (
          <MarketingConsent c={c} clientId={clientId} onChanged={onChanged} />
        )}
      </td>
    </tr>
  );
}

/** Marketing consent at one address, as the owner gave it to staff (marketing campaigns need it). */
function MarketingConsent({ c, clientId, onChanged }: { c: ContactPointView; clientId: number; onChanged: (d: ClientDetail) => void }) {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  const on = !!c.marketing?.optedIn;
  const when = c.marketing ? ` (${c.marketing.source === 'staff' ? 'recorded by staff' : c.marketing.source}, ${c.marketing.at.slice(0, 10)})` : '';
  return (
    <span data-testid={`marketing-${c.kind}-${c.position}`}>
      <Switch
        checked={on}
        disabled={busy}
        label={on ? `Marketing: yes${when}` : `Marketing: no${c.marketing ? when : ''}`}
        onChange={(_, d) => {
          setBusy(true);
          setErr(null);
          api
            .call('clients.setMarketingConsent', { clientId, contactPointId: c.id, optIn: !!d.checked })
            .then(onChanged)
            .catch((e) => setErr(e instanceof CallError ? e.message : String(e)))
            .finally(() => setBusy(false));
        }}
      />
      {err && <div className="pl-warn">{err}</div>}
    </span>
  );
}

function PetCard({ p }: { p: PatientView }) {
  return (
    <div className={`pl-client-pet${p.deceased || p.gone ? ' pl-client-pet-off' : ''}`} data-testid={`pet-${p.pimsId}`}>
      <div className="pl-row">
        <Text weight="semibold" size={400}>
          {p.name ?? '(no name)'}
        </Text>
        <Text className="pl-muted">
          {[p.species, p.breed, p.sex === 'M' ? (p.neutered ? 'neutered male' : 'male') : p.sex === 'F' ? (p.neutered ? 'spayed female' : 'female') : null, p.dob ? `born ${date(p.dob)}` : null].filter(Boolean).join(' · ')}
        </Text>
        {p.deceased && (
          <Badge appearance="filled" color="subtle">
            deceased{p.dod ? ` ${date(p.dod)}` : ''}
          </Badge>
        )}
        {!p.active && !p.deceased && <Badge appearance="tint" color="subtle">inactive</Badge>}
        {p.suspendReminders && <Badge appearance="tint" color="warning">reminders suspended</Badge>}
        {p.gone && <Badge appearance="tint" color="danger">no longer in the PIMS</Badge>}
      </div>
      {p.reminders.length === 0 ? (
        <Text className="pl-muted">No services due.</Text>
      ) : (
        <table className="pl-table">
          <thead>
            <tr>
              <th>Service</th>
              <th>Due</th>
              <th>State</th>
              <th>Done on</th>
              <th>Last given</th>
            </tr>
          </thead>
          <tbody>
            {p.reminders.map((r) => (
              <tr key={r.id} className={r.gone ? 'pl-muted' : ''} data-testid={`reminder-${r.code}`}>
                <td>
                  {r.description ?? r.code} <span className="pl-muted">{r.category && r.category !== 'other' ? `(${r.category})` : ''}</span>
                </td>
                <td>{date(r.dueDate)}</td>
                <td>
                  <Badge appearance="tint" color={STATE[r.state].color}>
                    {STATE[r.state].label}
                  </Badge>
                  {r.gone && <span className="pl-muted"> · no longer listed</span>}
                </td>
                <td>{date(r.satisfiedOn)}</td>
                <td>{date(r.dateGiven)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** One household: how to reach it, its pets and their services due, and its appointments. */
export function ClientDetailView({ id, onOpen }: { id: number; onOpen: (id: number) => void }) {
  const { data: c, error, setData } = useQuery('clients.get', [{ id }], { refreshOn: ['imports.finished'] });
  if (error) return <div className="pl-warn">{error.message}</div>;
  if (!c) return <Spinner size="small" />;
  return <Detail c={c} onOpen={onOpen} onChanged={setData} />;
}

function Detail({ c, onOpen, onChanged }: { c: ClientDetail; onOpen: (id: number) => void; onChanged: (d: ClientDetail) => void }) {
  const phones = c.contactPoints.filter((x) => x.kind === 'phone');
  const emails = c.contactPoints.filter((x) => x.kind === 'email');
  return (
    <div className="pl-client-detail" data-testid="client-detail">
      <div className="pl-row">
        <Title3>{c.name}</Title3>
        <Text className="pl-muted">
          #{c.pimsId} · {c.source}
        </Text>
        {!c.active && <Badge appearance="filled" color="subtle">inactive client</Badge>}
        {c.gone && <Badge appearance="filled" color="danger">no longer in the PIMS</Badge>}
        {c.noSms && <Badge appearance="tint" color="warning">PIMS: do not text</Badge>}
        {c.noEmail && <Badge appearance="tint" color="warning">PIMS: do not email</Badge>}
        {c.suspendReminders && <Badge appearance="tint" color="warning">reminders suspended</Badge>}
      </div>
      <Text>
        {c.address.join(' · ')}
        {c.spouseName ? ` · also ${c.spouseName}` : ''}
        {c.language !== 'en' ? ` · speaks ${c.language}` : ''}
      </Text>

      <Subtitle2>How to reach them</Subtitle2>
      {phones.length + emails.length === 0 ? (
        <Text className="pl-muted">No phone or email in the PIMS.</Text>
      ) : (
        <table className="pl-table" data-testid="client-contacts">
          <tbody>
            {[...phones, ...emails].map((x) => (
              <ContactRow key={x.id} c={x} onOpen={onOpen} clientId={c.id} onChanged={onChanged} />
            ))}
          </tbody>
        </table>
      )}

      <Subtitle2>Pets</Subtitle2>
      {c.patients.length === 0 && <Text className="pl-muted">No pets.</Text>}
      {c.patients.map((p) => (
        <PetCard key={p.id} p={p} />
      ))}

      <Subtitle2>Appointments</Subtitle2>
      {c.appointments.length === 0 ? (
        <Text className="pl-muted">No appointments in the export.</Text>
      ) : (
        <table className="pl-table" data-testid="client-appointments">
          <thead>
            <tr>
              <th>When</th>
              <th>Pet</th>
              <th>Reason</th>
              <th>Doctor</th>
              <th>Status</th>
              <th>Confirmation</th>
            </tr>
          </thead>
          <tbody>
            {c.appointments.map((a) => (
              <tr key={a.id}>
                <td>
                  {date(a.startLocal.slice(0, 10))} {a.startLocal.slice(11, 16)}
                </td>
                <td>{a.patientName ?? ''}</td>
                <td>{a.reason ?? ''}</td>
                <td>{a.doctor ?? ''}</td>
                <td>{a.status}</td>
                <td>{a.confirmState === 'none' ? '' : label(a.confirmState)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
