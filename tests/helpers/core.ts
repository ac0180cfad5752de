import { createCore, type Core, type CoreOptions } from '../../src-main/core';
import { silentLogger } from '../../src-main/core/shared/log';
import { tempDir } from './tmp';

/**
 * A core on a throw-away data dir; call cleanup() in afterEach/afterAll. The desk counts as set
 * up (the UI opens on its first screen, not the first-run wizard) unless `firstRun` is true.
 */
export function testCore(opts: Partial<CoreOptions> & { firstRun?: boolean } = {}): { core: Core; dir: string; cleanup(): Promise<void> } {
  const t = tempDir();
  const { firstRun, ...rest } = opts;
  const core = createCore({ dataDir: t.dir, host: 'web', logger: silentLogger, ...rest });
  if (!firstRun) core.settings.setGeneral({ setupComplete: true });
  return {
    core,
    dir: t.dir,
    cleanup: async () => {
      await core.close();
      t.cleanup();
    },
  };
}
