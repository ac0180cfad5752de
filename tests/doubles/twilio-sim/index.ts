import { TwilioSim } from './sim';
import type { TwilioSimOptions } from './types';

export { TwilioSim, DEFAULT_ACCOUNT } from './sim';
export { countSegments } from './segments';
export type * from './types';

/** Starts the simulator on 127.0.0.1 (port 0 = any free port). Free of test-framework imports: the demo uses it too. */
export async function startTwilioSim(opts: TwilioSimOptions = {}): Promise<TwilioSim> {
  const sim = new TwilioSim(opts);
  await sim.listen(opts.port ?? 0, opts.host ?? '127.0.0.1');
  return sim;
}
