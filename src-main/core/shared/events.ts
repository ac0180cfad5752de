import type { EventName, Events } from '../../contract';

type Listener = (event: EventName, payload: unknown) => void;

/** Typed push events from core to every connected desk. */
export interface EventBus {
  emit<E extends EventName>(event: E, payload: Events[E]): void;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
  /** Every event, for transports that forward all of them. */
  onAny(listener: Listener): () => void;
}

export function createEventBus(): EventBus {
  const any = new Set<Listener>();
  const byName = new Map<string, Set<(p: unknown) => void>>();
  return {
    emit(event, payload) {
      for (const l of byName.get(event) ?? []) l(payload);
      for (const l of any) l(event, payload);
    },
    on(event, listener) {
      const set = byName.get(event) ?? new Set();
      byName.set(event, set);
      const l = listener as (p: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
    onAny(listener) {
      any.add(listener);
      return () => any.delete(listener);
    },
  };
}
