import type { Migration } from '../migrate';
import { m001Settings } from './001-settings';
import { m002Pims } from './002-pims';
import { m003Messaging } from './003-messaging';
import { m004Reminders } from './004-reminders';
import { m005Inbox } from './005-inbox';
import { m006Campaigns } from './006-campaigns';
import { m007Outbox } from './007-outbox';
import { m008OutboxRows } from './008-outbox-rows';
import { m009PimsVersion } from './009-pims-version';

/** Append new migrations here; never edit one that has shipped. */
export const MIGRATIONS: Migration[] = [m001Settings, m002Pims, m003Messaging, m004Reminders, m005Inbox, m006Campaigns, m007Outbox, m008OutboxRows, m009PimsVersion];
