import type { EventStore } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { HttpAppError } from './errors.js';

/** How soon a client reconnects a dropped SSE stream (the `retry:` field of the priming event), ms. */
export const SSE_RETRY_MS = 1000;

/** Events kept per session for replay (the oldest go first past either bound). */
export const REPLAY_MAX_EVENTS = 1000;
export const REPLAY_MAX_BYTES = 8 * 1024 * 1024;

interface StoredEvent {
  id: number;
  streamId: string;
  message: JSONRPCMessage;
  bytes: number;
}

/**
 * The SSE events of one session, so a client whose stream dropped (a network blip during a long
 * execution) reconnects with `Last-Event-ID` and gets what it missed, then the rest of the stream
 * (the SDK's `EventStore` interface). Bounded: the last `maxEvents` events and at most `maxBytes` of
 * them; an id older than that is unknown (the SDK answers 400 and the client starts over).
 */
export class BoundedEventStore implements EventStore {
  readonly #events: StoredEvent[] = [];
  #bytes = 0;
  #next = 1;

  constructor(
    private readonly maxEvents = REPLAY_MAX_EVENTS,
    private readonly maxBytes = REPLAY_MAX_BYTES,
  ) {}

  /** Events held now (tests, metrics). */
  get size(): number {
    return this.#events.length;
  }

  async storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    const id = this.#next++;
    const bytes = JSON.stringify(message).length + streamId.length;
    this.#events.push({ id, streamId, message, bytes });
    this.#bytes += bytes;
    while (this.#events.length > this.maxEvents || (this.#bytes > this.maxBytes && this.#events.length > 1))
      this.#bytes -= this.#events.shift()!.bytes;
    return String(id);
  }

  async getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    return this.#find(eventId)?.streamId;
  }

  async replayEventsAfter(
    lastEventId: string,
    { send }: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> },
  ): Promise<string> {
    const last = this.#find(lastEventId);
    if (!last)
      throw new HttpAppError(
        'EVENT_NOT_STORED',
        `SSE event ${lastEventId.slice(0, 40)} is not (or no longer) stored: the session keeps its last ${this.maxEvents} events. Start the request again.`,
      );
    for (const e of this.#events)
      if (e.id > last.id && e.streamId === last.streamId && Object.keys(e.message).length)
        await send(String(e.id), e.message);
    return last.streamId;
  }

  #find(eventId: string): StoredEvent | undefined {
    if (!/^\d+$/.test(eventId)) return undefined;
    const id = Number(eventId);
    const first = this.#events[0];
    if (!first || id < first.id) return undefined;
    const e = this.#events[id - first.id];
    return e?.id === id ? e : this.#events.find((x) => x.id === id);
  }
}
