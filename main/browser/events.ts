// Fan-out of host → renderer events to every attached browser tab.
import type { EventName, EventPayload, RpcEvent } from '../../app/rpc/contract.ts';

export type EventListener = (event: RpcEvent) => void;

export class EventBus {
  readonly #listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const message: RpcEvent = { event, payload };
    for (const listener of this.#listeners) listener(message);
  }

  get size(): number {
    return this.#listeners.size;
  }
}
