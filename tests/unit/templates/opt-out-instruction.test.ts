import { describe, expect, it } from 'vitest';
import { OPT_OUT_LINE } from '../../../src-main/core/templates/defaults';
import { clinicContext, hasOptOutInstruction, renderVariant } from '../../../src-main/core/templates/render';
import { CLINIC } from '../../helpers/settings-fixtures';

describe('the opt-out sentence', () => {
  it('knows an instruction to opt out from the word STOP used otherwise', () => {
    for (const t of [...Object.values(OPT_OUT_LINE), 'Text STOP to end these texts', 'reply "stop" to unsubscribe', 'Envoyez STOP au 12345', 'Responda STOP para cancelar'])
      expect(hasOptOutInstruction(t), t).toBe(true);
    for (const t of ['STOP by this week for a free nail trim!', 'Bus STOP closed, use the side door', 'STOP-BY clinic hours: 9 to 5', 'Please stop feeding treats before surgery'])
      expect(hasOptOutInstruction(t), t).toBe(false);
  });

  it('is added to a text that says STOP but is not an instruction, and not doubled on one that is', () => {
    const ctx = { clinic: clinicContext(CLINIC), client: { firstName: 'Thomas', lastName: 'Reyes' } };
    const invite = renderVariant(null, { body: '{{clinic.name}}: STOP by this week for a free nail trim, {{client.firstName}}!' }, ctx, { lang: 'en', channel: 'sms', optOut: true });
    expect(invite.body).toBe('Larkspur Hollow Veterinary Clinic: STOP by this week for a free nail trim, Thomas! Reply STOP to opt out.');
    expect(invite.hasOptOut).toBe(true);
    const own = renderVariant(null, { body: '{{clinic.name}}: 20% off dental this month. Text STOP to end.' }, ctx, { lang: 'en', channel: 'sms', optOut: true });
    expect(own.body).toBe('Larkspur Hollow Veterinary Clinic: 20% off dental this month. Text STOP to end.');
  });
});
