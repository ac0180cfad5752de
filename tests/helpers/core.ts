import { createCore, type Core, type CoreOptions } from '../../src-main/core';
import { silentLogger } from '../../src-main/core/shared/log';
import { tempDir } from './tmp';

/** A core on a throw-away data dir; call cleanup() in afterEach/afterAll. */
export function testCore(opts: Partial<CoreOptions> = {}): { core: Core; dir: string; cleanup(): Promise<void> } {
  const t = tempDir();
  const core = createCore({ dataDir: t.dir, host: 'web', logger: silentLogger, ...opts });
  return {
    core,
    dir: t.dir,
    cleanup: async () => {
      await core.close();
      t.cleanup();
    },
  };
}
