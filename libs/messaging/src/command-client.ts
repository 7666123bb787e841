import type { NatsConnection } from '@nats-io/transport-node';
import { ERROR_CODES, errorReply, type Reply } from '@rcp/contracts';
import { SpanKind, traceHeaders, withSpan } from '@rcp/telemetry';
import { toNatsHeaders } from './headers';

/** Sends a command or query and returns its reply; transport failures become error replies. */
export async function request<T = unknown>(
  nc: NatsConnection,
  subject: string,
  payload: unknown,
  timeoutMs = 10_000,
): Promise<Reply<T>> {
  return withSpan(
    `request ${subject}`,
    {
      kind: SpanKind.CLIENT,
      attributes: { 'messaging.system': 'nats', 'messaging.destination.name': subject },
    },
    async () => {
      try {
        const msg = await nc.request(subject, JSON.stringify(payload), {
          timeout: timeoutMs,
          headers: toNatsHeaders(traceHeaders()),
        });
        return msg.json<Reply<T>>();
      } catch (error) {
        const message = (error as Error).message;
        const code = /timeout/i.test(message) ? ERROR_CODES.TIMEOUT : ERROR_CODES.UNAVAILABLE;
        return errorReply(code, `${subject}: ${message}`);
      }
    },
  );
}
