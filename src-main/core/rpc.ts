import type { ApiMethod, Envelope, Handlers } from '../contract';
import { toErrorShape } from './shared/errors';
import type { Logger } from './shared/log';

/**
 * The single dispatch both hosts use (Electron IPC and socket.io), so a call answers
 * identically whichever carried it. Unknown names are refused without touching handlers'
 * prototype chain.
 */
export async function invoke(handlers: Handlers, method: string, arg: unknown, log?: Logger): Promise<Envelope<unknown>> {
  if (typeof method !== 'string' || !Object.prototype.hasOwnProperty.call(handlers, method)) {
    return { ok: false, error: { code: 'unknown-method', message: `Unknown action "${String(method).slice(0, 60)}".` } };
  }
  try {
    const fn = handlers[method as ApiMethod] as (a: unknown) => unknown;
    const value = await fn(arg);
    return { ok: true, value: value === undefined ? null : value };
  } catch (e) {
    // A handler that trips over a missing or malformed argument (null, a number where an
    // object belongs) is the caller's mistake, not an internal failure: say so plainly.
    if (e instanceof TypeError && (arg === null || arg === undefined || typeof arg !== 'object' || Array.isArray(arg))) {
      log?.warn('malformed call', { method });
      return { ok: false, error: { code: 'validation', message: `The request for "${method.slice(0, 60)}" was missing its details or had the wrong shape. Nothing was changed.` } };
    }
    const shape = toErrorShape(e);
    if (shape.code === 'internal') log?.error('handler failed', { method, error: e instanceof Error ? e.stack ?? e.message : String(e) });
    return { ok: false, error: shape };
  }
}
