// Typed event bus from the core to whichever shell is listening (IPC or WebSocket).
import type { EventName, EventPayloads } from '../../shared/contract.ts';

export type EventListener = <E extends EventName>(event: E, payload: EventPayloads[E]) => void;

export class EventBus {
  readonly #listeners = new Set<EventListener>();

  #lastStatus: string | null = null;

  /** status.changed goes out once per change: the same status again is not sent. */
  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    if (event === 'status.changed') {
      const key = JSON.stringify(payload);
      if (key === this.#lastStatus) return;
      this.#lastStatus = key;
    }
    for (const l of this.#listeners) {
      try {
        l(event, payload);
      } catch {
        // A broken listener (a closed socket) must not stop the others.
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
