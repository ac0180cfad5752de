import { Tab, TabList } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { StatusBar } from './frame/StatusBar';
import { SCREENS } from './screens';
import { ClinicFormatProvider } from './ui/format';
import { useVisibleScreens } from './screens/visible';

/** The screen the address names ('' when none: the landing screen shows). */
function screenFromHash(): string {
  return location.hash.replace(/^#\/?/, '').split(/[?&]/)[0] ?? '';
}

export function App() {
  const [hashId, setCurrent] = useState(screenFromHash);
  const { screens, landing } = useVisibleScreens(SCREENS);
  const screen = screens.find((s) => s.id === hashId) ?? landing;
  const current = screen.id;
  useEffect(() => {
    const onHash = () => setCurrent(screenFromHash());
    window.addEventListener('hashchange', onHash);
    // Alt+1..9 jumps between screens without the mouse.
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey) return;
      const i = Number(e.key) - 1;
      if (i >= 0 && i < screens.length) {
        e.preventDefault();
        location.hash = '#/' + screens[i].id;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('hashchange', onHash);
      window.removeEventListener('keydown', onKey);
    };
  }, [screens]);
  const Screen = screen.component;
  return (
    <ClinicFormatProvider>
    <div className="pl-frame">
      <header className="pl-top" role="banner">
        <StatusBar />
      </header>
      <nav className="pl-nav" aria-label="Screens">
        <TabList vertical selectedValue={current} onTabSelect={(_, d) => (location.hash = '#/' + String(d.value))}>
          {screens.map((s, i) => (
            <Tab key={s.id} value={s.id} icon={<s.icon />} data-testid={`nav-${s.id}`} title={`Alt+${i + 1}`}>
              {s.label}
            </Tab>
          ))}
        </TabList>
      </nav>
      <main className={screen.fill ? 'pl-main pl-fill' : 'pl-main'} aria-label={screen.label}>
        <Screen />
      </main>
    </div>
    </ClinicFormatProvider>
  );
}
