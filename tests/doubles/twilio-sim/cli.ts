/**
 * Runs the Twilio simulator by hand: npx tsx tests/doubles/twilio-sim/cli.ts --port 4010 [--sps 50] [--mps 1]
 * Prints the URL and credentials to paste into Pawline's Twilio settings (base URL override).
 */
import { parseArgs } from 'node:util';
import { startTwilioSim } from './index';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4010' },
    host: { type: 'string', default: '127.0.0.1' },
    mps: { type: 'string' },
    sps: { type: 'string' },
  },
});

const rateLimit =
  values.mps || values.sps
    ? { messagesPerSecond: values.mps ? Number(values.mps) : undefined, segmentsPerSecond: values.sps ? Number(values.sps) : undefined }
    : undefined;

const sim = await startTwilioSim({ port: Number(values.port), host: values.host, rateLimit });
const acc = sim.account;
const key = acc.apiKeys?.[0];
process.stdout.write(
  [
    `Twilio simulator listening on ${sim.url}`,
    `  Account SID : ${acc.sid}`,
    `  Auth token  : ${acc.authToken}`,
    key ? `  API key     : ${key.sid} / ${key.secret}` : '',
    `  Media CDN   : ${sim.mediaUrl}`,
    'Ctrl+C to stop.',
    '',
  ]
    .filter(Boolean)
    .join('\n') + '\n',
);

const stop = () => void sim.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
