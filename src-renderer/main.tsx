import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { createRoot } from 'react-dom/client';
import { ApiProvider } from './api/context';
import { createClient } from './api/transport';
import { App } from './App';
import './styles.css';

const client = createClient();
createRoot(document.getElementById('root')!).render(
  <FluentProvider theme={webLightTheme} style={{ height: '100%' }}>
    <ApiProvider value={client}>
      <App />
    </ApiProvider>
  </FluentProvider>,
);
