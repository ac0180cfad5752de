import type { ComponentType } from 'react';

/** A screen in the navigation rail. Domains register theirs in screens/index.tsx. */
export interface ScreenDef {
  id: string;
  label: string;
  icon: ComponentType;
  component: ComponentType;
  /** Screens like the inbox manage their own scrolling. */
  fill?: boolean;
  /** Keyboard shortcut digit (Alt+N). */
  key?: string;
  /** Shown only in demo mode (npm run demo). */
  demoOnly?: boolean;
  /** Shown only until the first-run setup is finished; the desk lands on it meanwhile. */
  firstRunOnly?: boolean;
}
