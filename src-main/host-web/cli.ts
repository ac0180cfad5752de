/**
 * `npm run start:web`: the same app in a browser, for machines without the Electron binary.
 * Serves the built renderer and the API on 127.0.0.1 only, guarded by a per-start token.
 * `--demo` (npm run demo) starts a demo clinic with a local Twilio simulator and SMTP server.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createCore } from '../core';
import { defaultDataDir } from '../core/shared/data-dir';
import { createLogger, fileSink } from '../core/shared/log';
import { startWebHost } from './server';

const here = path.dirname(fileURLToPath(import.meta.url));

async function main() {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      demo: { type: 'boolean', default: false },
      'time-zone': { type: 'string' },
    },
  });
  if (values.demo) return runDemo(values['data-dir'], values.port, values['time-zone']);
  const dataDir = path.resolve(values['data-dir'] ?? defaultDataDir());
  const core = createCore({ dataDir, host: 'web', logger: createLogger(fileSink(dataDir)) });
  core.start();
  const host = await startWebHost({ core, staticDir: path.resolve(here, '../../dist-renderer'), port: values.port ? Number(values.port) : 5178 });
  console.log(`Pawline is running (data folder: ${dataDir}).`);
  console.log(`Open this address in your browser:\n\n  ${host.openUrl}\n`);
  console.log('Press Ctrl+C to stop.');
  const stop = async () => {
    await host.close();
    await core.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

async function runDemo(dataDir: string | undefined, port: string | undefined, timeZone: string | undefined) {
  // Loaded only here: the demo brings the test doubles (simulator, SMTP server) along.
  const { startDemo, demoBanner } = await import('./demo');
  const demo = await startDemo({ dataDir, port: port ? Number(port) : undefined, timeZone });
  console.log(demoBanner(demo));
  const stop = async () => {
    await demo.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
