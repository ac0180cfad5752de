/**
 * Connects the core's demo API to the simulator and the mail server the demo host started.
 */
import type { DemoInfo, DemoMail, DemoSms } from '../../contract';
import type { DemoLink } from '../../core/demo/handlers';
import type { SmtpDouble } from '../../../tests/doubles/smtp';
import type { SimMessage, TwilioSim } from '../../../tests/doubles/twilio-sim';

function toSms(m: SimMessage): DemoSms {
  const fromOwner = m.direction === 'inbound';
  return {
    sid: m.sid,
    direction: fromOwner ? 'from-owner' : 'to-owner',
    owner: (fromOwner ? m.from : m.to) ?? '',
    body: m.body,
    status: m.status,
    errorCode: m.errorCode,
    segments: m.numSegments,
    at: new Date(m.createdAt).toISOString(),
  };
}

export function createDemoLink(sim: TwilioSim, smtp: SmtpDouble, info: () => DemoInfo): DemoLink {
  return {
    info,
    injectInbound: (from, body) => toSms(sim.injectInbound({ from, to: info().clinicNumber, body })),
    sms: () => sim.messages.slice().sort((a, b) => a.seq - b.seq).map(toSms),
    mails: () =>
      smtp.mails.map(
        (m, i): DemoMail => ({
          id: i + 1,
          to: m.to.map((t) => t.address),
          from: m.from ? (m.from.name ? `${m.from.name} <${m.from.address}>` : m.from.address) : m.envelope.mailFrom,
          replyTo: m.replyTo?.address ?? null,
          subject: m.subject ?? '(no subject)',
          text: m.text ?? '',
          hasHtml: !!m.html,
          listUnsubscribe: m.headers['list-unsubscribe'] ?? null,
        }),
      ),
  };
}

/** A cheap fingerprint of what the stand-ins hold, so the desk hears when something arrives or changes status. */
export function demoFingerprint(sim: TwilioSim, smtp: SmtpDouble): string {
  return `${sim.messages.map((m) => m.status[0]).join('')}|${smtp.mails.length}`;
}
