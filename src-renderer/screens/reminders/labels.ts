import type { PlanChannel } from '../../../src-main/contract';
import { CODE_LABEL } from '../../ui/labels';

/** Words a practice manager reads on the plan: the shared map, so a reason reads the same on every screen. */
export const REASON_LABEL: Record<string, string> = CODE_LABEL;

export const CHANNEL_LABEL: Record<PlanChannel, string> = { sms: 'Text', email: 'Email', postcard: 'Postcard' };
