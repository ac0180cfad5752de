import { ArrowImportRegular, CalendarLtrRegular, MailInboxArrowUpRegular, PeopleRegular, ChatMultipleRegular, DataBarVerticalRegular, MegaphoneRegular, PhoneChatRegular, SettingsRegular, WandRegular, AlertRegular } from '@fluentui/react-icons';
import { CampaignsScreen } from './campaigns/CampaignsScreen';
import { ClientsScreen } from './clients/ClientsScreen';
import { DemoScreen } from './demo/DemoScreen';
import { ImportScreen } from './import/ImportScreen';
import { InboxScreen } from './inbox/InboxScreen';
import { OutboxScreen } from './outbox/OutboxScreen';
import type { ScreenDef } from './registry';
import { RemindersScreen } from './reminders/RemindersScreen';
import { ReportsScreen } from './reports/ReportsScreen';
import { ScheduleScreen } from './schedule/ScheduleScreen';
import { SettingsScreen } from './settings/SettingsScreen';
import { SetupScreen } from './setup/SetupScreen';

/** Order here is the order in the rail; receptionists' screens first, managers' after. */
export const SCREENS: ScreenDef[] = [
  { id: 'inbox', label: 'Inbox', icon: ChatMultipleRegular, component: InboxScreen, fill: true },
  { id: 'schedule', label: 'Schedule', icon: CalendarLtrRegular, component: ScheduleScreen },
  { id: 'outbox', label: 'Outbox', icon: MailInboxArrowUpRegular, component: OutboxScreen },
  { id: 'reminders', label: 'Reminders', icon: AlertRegular, component: RemindersScreen },
  { id: 'campaigns', label: 'Campaigns', icon: MegaphoneRegular, component: CampaignsScreen },
  { id: 'clients', label: 'Clients', icon: PeopleRegular, component: ClientsScreen, fill: true },
  { id: 'reports', label: 'Reports', icon: DataBarVerticalRegular, component: ReportsScreen },
  { id: 'import', label: 'Import', icon: ArrowImportRegular, component: ImportScreen },
  { id: 'settings', label: 'Settings', icon: SettingsRegular, component: SettingsScreen },
  // Listed only in demo mode / until the first-run setup is finished (see screens/visible.ts).
  { id: 'demo', label: 'Demo', icon: PhoneChatRegular, component: DemoScreen, demoOnly: true },
  { id: 'setup', label: 'Setup', icon: WandRegular, component: SetupScreen, firstRunOnly: true },
];
