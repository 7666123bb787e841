import type { NatsConnection } from '@nats-io/transport-node';
import { ERROR_CODES, errorReply, type Reply } from '@rcp/contracts';
import { SpanKind, traceHeaders, withSpan } from '@rcp/telemetry';
import { toNatsHeaders } from './headers';
import { NoReplyError, ReplyInbox } from './reply-inbox';

/** One reply subscription per connection, shared by every request made on it. */
const inboxes = new WeakMap<NatsConnection, ReplyInbox>();

/** Sends a command or query and returns its reply; transport failures become error replies. */
export async function request<T = unknown>(
  nc: NatsConnection,
  subject: string,
  payload: unknown,
  timeoutMs = 10_000,
): Promise<Reply<T>> {
  let inbox = inboxes.get(nc);
  if (!inbox) inboxes.set(nc, (inbox = new ReplyInbox(nc)));
  const replies = inbox;
  return withSpan(
    `request ${subject}`,
    {
      kind: SpanKind.CLIENT,
      attributes: { 'messaging.system': 'nats', 'messaging.destination.name': subject },
    },
    async () => {
      try {
        const msg = await replies.send(subject, JSON.stringify(payload), {
          timeoutMs,
          headers: toNatsHeaders(traceHeaders()),
        });
        if (msg.data.length === 0 && msg.headers?.code === 503)
          return errorReply(ERROR_CODES.UNAVAILABLE, `${subject}: no responders`);
        return msg.json<Reply<T>>();
      } catch (error) {
        const timedOut = error instanceof NoReplyError && error.reason === 'timeout';
        const code = timedOut ? ERROR_CODES.TIMEOUT : ERROR_CODES.UNAVAILABLE;
        return errorReply(code, `${subject}: ${(error as Error).message}`);
      }
    },
  );
}
