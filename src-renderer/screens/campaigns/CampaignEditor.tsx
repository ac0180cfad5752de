import {
  Button,
  Card,
  CardHeader,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  Radio,
  RadioGroup,
  Select,
  Spinner,
  Subtitle2,
  Text,
  Title3,
} from '@fluentui/react-components';
import { ArrowLeftRegular, CalendarRegular, SendRegular } from '@fluentui/react-icons';
import { useEffect, useRef, useState } from 'react';
import type { CampaignDelivery, CampaignFilterOptions, CampaignInput, CampaignKind, CampaignLang, CampaignPreview } from '../../../src-main/contract';
import { useApi } from '../../api/context';
import { CallError } from '../../api/transport';
import { AudienceBuilder } from './AudienceBuilder';
import { AudienceSummary } from './AudienceCountView';
import { ContentEditor } from './ContentEditor';
import { DELIVERY_LABEL, KIND_LABEL, addDays, cleanAudience, cleanInput, emptyInput, money, num } from './labels';
import { PreviewPanel, fixSmart } from './PreviewPanel';
import { TemplatePicker } from './TemplatePicker';
import { useDebounced } from './useDebounced';

type Pending = { action: 'send' } | { action: 'schedule'; at: string };

/** 'YYYY-MM-DDTHH:MM' (clinic time) before 08:00 or from 21:00 on. */
const outsideWindow = (at: string) => {
  const hm = at.slice(11, 16);
  return hm.length === 5 && (hm < '08:00' || hm >= '21:00');
};

/** Name and kind, audience with a live count, content per language with a preview, then send now or schedule. */
export function CampaignEditor({ id, options, onClose, onStarted }: { id: number | null; options: CampaignFilterOptions; onClose: () => void; onStarted: (id: number) => void }) {
  const api = useApi();
  const [savedId, setSavedId] = useState<number | null>(id);
  const [value, setValue] = useState<CampaignInput | null>(id === null ? emptyInput() : null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<{ intent: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [at, setAt] = useState(`${addDays(options.today, 1)}T09:00`);
  const [pending, setPending] = useState<Pending | null>(null);
  const [emergencyConfirmed, setEmergencyConfirmed] = useState(false);
  // A double click must not create (and send) the campaign twice: state updates are too late for that.
  const inFlight = useRef(false);

  useEffect(() => {
    if (id === null) return;
    api.call('campaigns.get', { id }).then((c) => {
      setValue({ name: c.name, kind: c.kind, audience: c.audience, delivery: c.delivery, content: c.content, emergencyOverride: c.emergencyOverride });
      if (c.scheduledLocal) setAt(c.scheduledLocal);
    });
  }, [api, id]);

  // The confirmation states the cost of exactly what is about to go, estimated when it opens (the
  // preview panel's last figure may belong to content or a channel choice since changed).
  const [confirmCost, setConfirmCost] = useState<CampaignPreview['estimate'] | 'error' | undefined>();
  useEffect(() => {
    setConfirmCost(undefined);
    if (!pending || !value || value.delivery === 'email') return;
    let live = true;
    const input = cleanInput(value);
    api
      .call('campaigns.preview', { kind: input.kind, audience: input.audience, delivery: input.delivery, content: input.content, clientId: null, lang: null, campaignId: savedId })
      .then((p) => live && setConfirmCost(p.estimate))
      .catch(() => live && setConfirmCost('error'));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pending]);

  const clean = value ? cleanAudience(value.audience) : {};
  const countKey = value ? JSON.stringify([value.kind, clean, value.delivery, savedId]) : '';
  const count = useDebounced(
    () => (value ? api.call('campaigns.count', { kind: value.kind, audience: clean, delivery: value.delivery, campaignId: savedId }) : Promise.resolve(undefined)),
    countKey,
    300,
  );
  if (!value) return <Spinner label="Loading…" />;
  const set = (patch: Partial<CampaignInput>) => setValue({ ...value, ...patch });

  const save = async (): Promise<number | null> => {
    try {
      const input = cleanInput(value);
      const c = savedId === null ? await api.call('campaigns.create', input) : await api.call('campaigns.update', { ...input, id: savedId });
      setSavedId(c.id);
      setErrors({});
      return c.id;
    } catch (e) {
      if (e instanceof CallError) {
        setErrors(e.fields ?? {});
        setBanner({ intent: 'error', text: e.message });
      } else setBanner({ intent: 'error', text: String(e) });
      return null;
    }
  };

  const run = async (fn: () => Promise<void>) => {
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    setBanner(null);
    try {
      await fn();
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  const go = (p: Pending) =>
    run(async () => {
      const cid = await save();
      if (cid === null) return;
      try {
        const confirmOverride = value.emergencyOverride ? emergencyConfirmed : undefined;
        const c = p.action === 'send' ? await api.call('campaigns.send', { id: cid, confirmOverride }) : await api.call('campaigns.schedule', { id: cid, at: p.at, confirmOverride });
        setPending(null);
        onStarted(c.id);
      } catch (e) {
        setPending(null);
        if (e instanceof CallError) {
          setErrors(e.fields ?? {});
          setBanner({ intent: 'error', text: e.message });
        } else setBanner({ intent: 'error', text: String(e) });
      }
    });

  const n = count.data;
  return (
    <div style={{ display: 'grid', gap: 12, maxWidth: 1100 }}>
      <div className="pl-row">
        <Button icon={<ArrowLeftRegular />} appearance="subtle" onClick={onClose}>
          All campaigns
        </Button>
      </div>
      <Title3>{savedId === null ? 'New campaign' : value.name || 'Campaign'}</Title3>

      <Card>
        <CardHeader header={<Subtitle2>1. What it is</Subtitle2>} />
        <div className="pl-grid2">
          <Field label="Name (staff only)" required validationMessage={errors.name} validationState={errors.name ? 'error' : 'none'}>
            <Input value={value.name} data-testid="campaign-name" placeholder="Storm closure Dec 8" onChange={(_, d) => set({ name: d.value })} />
          </Field>
          <Field label="Channels">
            <Select value={value.delivery} data-testid="campaign-delivery" onChange={(_, d) => set({ delivery: d.value as CampaignDelivery })}>
              {(Object.keys(DELIVERY_LABEL) as CampaignDelivery[]).map((k) => (
                <option key={k} value={k}>
                  {DELIVERY_LABEL[k]}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        <RadioGroup layout="horizontal" value={value.kind} onChange={(_, d) => set({ kind: d.value as CampaignKind, emergencyOverride: d.value === 'alert' ? value.emergencyOverride : false })}>
          {(Object.keys(KIND_LABEL) as CampaignKind[]).map((k) => (
            <Radio key={k} value={k} label={KIND_LABEL[k]} data-testid={`campaign-kind-${k}`} />
          ))}
        </RadioGroup>
        {value.kind === 'alert' && (
          <Checkbox
            checked={!!value.emergencyOverride}
            data-testid="campaign-override"
            label="Emergency: send at once, even before 08:00 or after 21:00 (asks for confirmation when sending)"
            onChange={(_, d) => set({ emergencyOverride: !!d.checked })}
          />
        )}
        <Text className="pl-muted" size={200}>
          {value.kind === 'alert' && 'Alerts go before everything else and ignore frequency caps; opt-outs still apply.'}
          {value.kind === 'health' && 'Health messages wait for opening hours and count toward the health reminder caps.'}
          {value.kind === 'marketing' &&
            `Marketing goes only to owners with marketing consent, at most ${options.marketingCapPerMonth} times in 30 days, after every health and appointment message; emails carry an unsubscribe link and the clinic's address.`}
        </Text>
      </Card>

      <Card>
        <CardHeader header={<Subtitle2>2. Who gets it</Subtitle2>} />
        <AudienceBuilder value={value.audience} options={options} onChange={(audience) => set({ audience })} />
        {count.error && <div className="pl-warn">{count.error}</div>}
        {/* While the filters just changed, the last figures stay visible but dimmed and marked, never read as the new audience's. */}
        {count.loading && n && <Spinner size="tiny" label="Counting for the changed filters…" labelPosition="after" />}
        {n ? (
          <div aria-busy={count.loading} style={count.loading ? { opacity: 0.45 } : undefined}>
            <AudienceSummary count={n} />
          </div>
        ) : (
          <Spinner size="tiny" label="Counting…" />
        )}
      </Card>

      <Card>
        <CardHeader header={<Subtitle2>3. What it says</Subtitle2>} />
        <TemplatePicker kind={value.kind} name={value.name} content={value.content} onLoad={(content) => set({ content })} />
        <ContentEditor value={value.content} delivery={value.delivery} errors={errors} onChange={(content) => set({ content })} />
      </Card>

      <Card>
        <CardHeader header={<Subtitle2>4. Preview and cost</Subtitle2>} />
        <PreviewPanel
          input={value}
          campaignId={savedId}
          onFix={() => {
            const sms = Object.fromEntries(Object.entries(value.content.sms).map(([l, t]) => [l, fixSmart(t ?? '')])) as Partial<Record<CampaignLang, string>>;
            set({ content: { ...value.content, sms } });
          }}
        />
      </Card>

      <Card>
        <CardHeader header={<Subtitle2>5. Send</Subtitle2>} />
        {banner && (
          <div className={banner.intent === 'error' ? 'pl-warn' : ''} role="alert" data-testid="campaign-banner">
            {banner.text}
          </div>
        )}
        <div className="pl-row" style={{ alignItems: 'flex-end' }}>
          <Button disabled={busy} data-testid="campaign-save" onClick={() => run(async () => void ((await save()) !== null && setBanner({ intent: 'ok', text: 'Draft saved.' })))}>
            Save draft
          </Button>
          <Button appearance="primary" icon={<SendRegular />} disabled={busy} data-testid="campaign-send" onClick={() => setPending({ action: 'send' })}>
            Send now
          </Button>
          <Field label="Or at (clinic time)" size="small">
            <Input type="datetime-local" size="small" value={at} data-testid="campaign-at" onChange={(_, d) => setAt(d.value)} />
          </Field>
          <Button icon={<CalendarRegular />} disabled={busy} data-testid="campaign-schedule" onClick={() => setPending({ action: 'schedule', at })}>
            Schedule
          </Button>
        </div>
      </Card>

      <Dialog
        open={pending !== null}
        onOpenChange={(_, d) => {
          if (d.open) return;
          setPending(null);
          setEmergencyConfirmed(false);
        }}
      >
        <DialogSurface>
          <DialogBody>
            <DialogTitle>{pending?.action === 'schedule' ? `Schedule for ${pending.at.replace('T', ' ')}?` : 'Send now?'}</DialogTitle>
            <DialogContent>
              <p data-testid="confirm-summary">
                {n ? `${num(n.recipients)} recipients: ${num(n.byChannel.sms)} texts and ${num(n.byChannel.email)} emails; ${num(n.suppressed.total)} suppressed.` : 'Counting recipients…'}
                {value.delivery === 'email'
                  ? ''
                  : confirmCost === undefined
                    ? ' Estimating the text cost…'
                    : confirmCost === 'error'
                      ? ' The text cost could not be estimated.'
                      : ` Estimated text cost ${money(confirmCost.cost)} (${num(confirmCost.segments)} segments).`}
              </p>
              {pending?.action === 'schedule' && !value.emergencyOverride && outsideWindow(pending.at) && (
                <p className="pl-warn" data-testid="confirm-window">
                  {pending.at.slice(11, 16)} is outside 08:00–21:00: the messages will wait until the sending window opens.
                </p>
              )}
              {value.emergencyOverride && (
                <Checkbox
                  checked={emergencyConfirmed}
                  data-testid="confirm-emergency"
                  onChange={(_, d) => setEmergencyConfirmed(!!d.checked)}
                  label="This is an emergency: owners may be texted outside 08:00–21:00."
                />
              )}
            </DialogContent>
            <DialogActions>
              <Button onClick={() => setPending(null)}>Back</Button>
              <Button appearance="primary" disabled={busy || (!!value.emergencyOverride && !emergencyConfirmed)} data-testid="confirm-go" onClick={() => pending && go(pending)}>
                {pending?.action === 'schedule' ? 'Schedule' : 'Send'}
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </div>
  );
}
