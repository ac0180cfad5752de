import { useMemo } from 'react';
import { useQuery } from '../api/context';
import type { ScreenDef } from './registry';

const LATER_KEY = 'pawline.setupLater';

/** "Set up later": the desk opens on its usual first screen for the rest of this session. */
export function postponeSetup(): void {
  sessionStorage.setItem(LATER_KEY, '1');
  location.hash = '#/start';
}

/**
 * The screens the rail shows now: demo-only screens in demo mode, the setup wizard until setup
 * is finished. `landing` is where the desk opens when the address names no screen: the wizard
 * on a first run (unless postponed for this session), else the first screen.
 */
export function useVisibleScreens(all: ScreenDef[]): { screens: ScreenDef[]; landing: ScreenDef } {
  const { data: status } = useQuery('system.status', [], { refreshOn: ['system.status'] });
  const { data: settings } = useQuery('settings.get', [], { refreshOn: ['settings.changed'] });
  const demo = !!status?.demo;
  const firstRun = settings ? !settings.setupComplete : false;
  const later = sessionStorage.getItem(LATER_KEY) === '1';
  return useMemo(() => {
    const screens = all.filter((s) => (!s.demoOnly || demo) && (!s.firstRunOnly || firstRun));
    const regular = screens.find((s) => !s.firstRunOnly) ?? screens[0]!;
    const landing = (firstRun && !later && screens.find((s) => s.firstRunOnly)) || regular;
    return { screens, landing };
  }, [all, demo, firstRun, later]);
}
