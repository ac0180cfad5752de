/**
 * The one API declaration. Each domain declares its methods (name -> (arg) => result) and
 * events in its own file; they are merged here. Hosts, transports and the renderer's client
 * are all typed from `Api` and `Events`, so renaming a method fails to compile everywhere.
 * This folder imports nothing from Node, Electron or React.
 */
import type { CampaignsApi, CampaignsEvents } from './campaigns';
import type { ClientsApi, ClientsEvents } from './clients';
import type { DemoApi, DemoEvents } from './demo';
import type { ImportApi, ImportEvents } from './imports';
import type { InboxApi, InboxEvents } from './inbox';
import type { OutboxApi, OutboxEvents } from './outbox';
import type { RemindersApi, RemindersEvents } from './reminders';
import type { ReportsApi, ReportsEvents } from './reports';
import type { SettingsApi, SettingsEvents } from './settings';
import type { SetupApi } from './setup';
import type { SystemApi, SystemEvents } from './system';
import type { TemplatesApi } from './templates';

export type * from './campaigns';
export type * from './clients';
export type * from './demo';
export type * from './imports';
export { MAPPING_FIELDS } from './imports';
export type * from './errors';
export type * from './inbox';
export type * from './outbox';
export type * from './reminders';
export type * from './reports';
export type * from './settings';
export type * from './setup';
export type * from './system';
export type * from './templates';
export { DEFAULT_OPENING_HOURS, DEFAULT_QUIET_HOURS, WEEKDAYS } from './settings';

export type Api = SystemApi & SettingsApi & InboxApi & OutboxApi & RemindersApi & TemplatesApi & ReportsApi & CampaignsApi & ImportApi & ClientsApi & DemoApi & SetupApi;
export type Events = SystemEvents & SettingsEvents & InboxEvents & OutboxEvents & RemindersEvents & ReportsEvents & CampaignsEvents & ImportEvents & ClientsEvents & DemoEvents;

export type ApiMethod = keyof Api & string;
export type ApiArgs<M extends ApiMethod> = Parameters<Api[M]>[0];
export type ApiResult<M extends ApiMethod> = ReturnType<Api[M]>;
export type EventName = keyof Events & string;

/** Call arguments as a tuple: methods declared with `void` take none. */
export type CallArgs<M extends ApiMethod> = ApiArgs<M> extends void ? [] : [ApiArgs<M>];

/** What the core implements: one handler per method, sync or async. */
export type Handlers = {
  [M in ApiMethod]: (arg: ApiArgs<M>) => ApiResult<M> | Promise<ApiResult<M>>;
};

/** What the renderer holds, whichever transport carries it. */
export interface ApiClient {
  call<M extends ApiMethod>(method: M, ...args: CallArgs<M>): Promise<ApiResult<M>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}

/** The raw bridge both transports expose (preload or socket.io): envelopes in, envelopes out. */
export interface RawTransport {
  invoke(method: string, arg: unknown): Promise<import('./errors').Envelope<unknown>>;
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
}

export const RPC_CHANNEL = 'pawline:rpc';
export const EVENT_CHANNEL = 'pawline:event';
