import type { CampaignInput } from '../../../src-main/contract';
import { createCampaigns, type CampaignsOptions } from '../../../src-main/core/campaigns';
import { fixedClock } from '../../../src-main/core/shared/clock';
import { testCore } from '../../helpers/core';
import { pimsFixture } from '../../helpers/pims-fixture';
import { CLINIC } from '../../helpers/settings-fixtures';

/**
 * A core on a temp dir with the clinic profile saved, the PIMS fixture builder, and a campaigns
 * instance the test drives by hand (tick, settle) on a fixed clock. The core's own background
 * services are not started, so nothing is sent: tests read the outbox rows.
 */
export function campaignEnv(now = '2026-12-01T18:00:00.000Z', opts: CampaignsOptions = {}) {
  const clock = fixedClock(now);
  const t = testCore({ clock });
  t.core.settings.saveClinic(CLINIC);
  const f = pimsFixture(t.core.db, { timeZone: CLINIC.timeZone });
  const campaigns = createCampaigns(t.core, {}, { chunk: 3, ...opts });
  const h = campaigns.handlers;
  const messages = (campaignId?: number) =>
    t.core.db
      .prepare<unknown[], { id: number; dedupe_key: string; channel: string; kind: string; priority: number; client_id: number; to_address: string; subject: string | null; body: string; html: string | null; status: string; wait_reason: string | null; not_before: string; next_attempt_at: string | null; meta: string | null }>(
        `SELECT * FROM messages ${campaignId ? 'WHERE campaign_id = ?' : ''} ORDER BY id`,
      )
      .all(...(campaignId ? [campaignId] : []));
  return { ...t, clock, f, campaigns, h, messages };
}

export function alertInput(patch: Partial<CampaignInput> = {}): CampaignInput {
  return {
    name: 'Storm closure',
    kind: 'alert',
    audience: {},
    delivery: 'both',
    content: {
      defaultLang: 'en',
      sms: {
        en: '{{clinic.name}}: we are closed today because of the storm. Hi {{client.firstName}}, call {{clinic.phone}} to rebook.',
        fr: '{{clinic.name}} : fermé aujourd hui (tempête). Appelez le {{clinic.phone}}.',
      },
      email: {
        en: { subject: 'Closed today: {{clinic.name}}', body: 'Hello {{client.firstName}},\n\nWe are closed today because of the storm.' },
        fr: { subject: 'Fermé aujourd hui', body: 'Bonjour {{client.firstName}},\n\nNous sommes fermés.' },
      },
    },
    ...patch,
  };
}
