/**
 * The security-relevant window settings and checks, kept free of any electron import so
 * plain-Node unit tests can hold them to account (tests/unit/electron).
 */

/** Renderer isolation: the page gets no Node, runs sandboxed, and sees only the preload bridge. */
export const SECURE_WEB_PREFERENCES = Object.freeze({
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  safeDialogs: true,
} as const);

/** Full webPreferences for the main window; devtools only outside packaged builds. */
export function webPreferencesFor(o: { preload: string; packaged: boolean }) {
  return { ...SECURE_WEB_PREFERENCES, preload: o.preload, devTools: !o.packaged };
}

/** Desktop notifications are the one browser permission the desk needs. */
const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['notifications']);

export function isPermissionAllowed(permission: string): boolean {
  return ALLOWED_PERMISSIONS.has(permission);
}

/**
 * IPC is answered only for our own page: a file:// URL inside the built renderer folder.
 * `rendererDirUrl` is the file:// URL of dist-renderer/ with a trailing slash.
 */
export function isOwnPageUrl(url: string | undefined | null, rendererDirUrl: string, platform: string = process.platform): boolean {
  if (!url) return false;
  let page: URL;
  let dir: URL;
  try {
    page = new URL(url);
    dir = new URL(rendererDirUrl.endsWith('/') ? rendererDirUrl : rendererDirUrl + '/');
  } catch {
    return false;
  }
  if (page.protocol !== 'file:' || dir.protocol !== 'file:' || page.host !== dir.host) return false;
  // Encoded separators would let a decoded ".." slip past the prefix check.
  if (/%2f|%5c/i.test(page.pathname)) return false;
  // The URL parser has already resolved "." and ".." (also percent-encoded ones). Decode both
  // sides so Chromium's and Node's percent-encoding choices for spaces or accents cannot differ.
  const norm = (p: string) => {
    const d = safeDecode(p);
    return platform === 'win32' ? d.toLowerCase() : d;
  };
  return norm(page.pathname).startsWith(norm(dir.pathname));
}

function safeDecode(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}

/** Requests the page may never make: it is local-only; the core does all networking. */
export const REMOTE_URL_PATTERNS = ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'];
