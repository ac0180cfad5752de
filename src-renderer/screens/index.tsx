import { SettingsRegular } from '@fluentui/react-icons';
import type { ScreenDef } from './registry';
import { SettingsScreen } from './settings/SettingsScreen';

/** Order here is the order in the rail; receptionists' screens first, managers' after. */
export const SCREENS: ScreenDef[] = [
  { id: 'settings', label: 'Settings', icon: SettingsRegular, component: SettingsScreen },
];
