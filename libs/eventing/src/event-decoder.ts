import type { JsMsg } from '@nats-io/jetstream';
import { upcast, type EventDefinition, type EventEnvelope } from '@rcp/contracts';

export type EventRegistry = (type: string) => EventDefinition | undefined;

export type Decoded =
  | { ok: true; msg: JsMsg; envelope: EventEnvelope }
  | { ok: false; msg: JsMsg; raw: string; error: Error };

const REQUIRED = ['id', 'type', 'version', 'occurredAt', 'source', 'aggregate', 'data'] as const;

/** Parses a message into an envelope, upcasting old versions; never throws. */
export function decodeEvent(msg: JsMsg, registry?: EventRegistry): Decoded {
  const raw = msg.string();
  try {
    const envelope = JSON.parse(raw) as EventEnvelope;
    const missing = REQUIRED.filter((key) => envelope?.[key] === undefined);
    if (missing.length > 0) throw new Error(`not an event envelope: missing ${missing.join(', ')}`);
    const definition = registry?.(envelope.type);
    if (definition && envelope.version < definition.version) {
      envelope.data = upcast(
        definition,
        envelope.version,
        envelope.data as Record<string, unknown>,
      );
      envelope.version = definition.version;
    }
    return { ok: true, msg, envelope };
  } catch (error) {
    return { ok: false, msg, raw, error: error as Error };
  }
}
