import os from 'node:os';
import path from 'node:path';

/** Same folder Electron's app.getPath('userData') uses for "Pawline", so both hosts share data. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), 'Pawline');
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'Pawline');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'Pawline');
}
