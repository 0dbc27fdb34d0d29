import { homedir, platform } from 'node:os';
import { join } from 'node:path';

/**
 * Where Soothe keeps a person's data when Electron's app.getPath('userData') is not available
 * (browser edition, CLI). SOOTHE_DATA_DIR overrides it (tests use a temporary folder).
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SOOTHE_DATA_DIR) return env.SOOTHE_DATA_DIR;
  const home = homedir();
  switch (platform()) {
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Soothe');
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'Soothe');
    default:
      return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Soothe');
  }
}
