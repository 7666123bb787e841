import type { Msg, MsgHdrs, NatsConnection } from '@nats-io/transport-node';
import { NoReplyError, ReplyInbox } from './reply-inbox';

/** What JetStream answers a stored publish with. */
export interface PubAck {
  stream: string;
  seq: number;
  duplicate: boolean;
}

/** A publish JetStream did not acknowledge: refused, unanswered or timed out. */
export class PublishNotAcknowledgedError extends Error {
  constructor(
    message: string,
    readonly subject: string,
  ) {
    super(message);
    this.name = 'PublishNotAcknowledgedError';
  }
}

/**
 * JetStream publishes whose acknowledgements share one subscription (a ReplyInbox): nats.js'
 * `js.publish` makes a request per message instead, with a timer, a mux entry and Errors built
 * even on success. Unanswered publishes fail after their timeout.
 */
export class AckedPublisher {
  private readonly inbox: ReplyInbox;

  constructor(nc: NatsConnection) {
    this.inbox = new ReplyInbox(nc);
  }

  /** Publishes with `Nats-Msg-Id` = `msgId` (JetStream's duplicate window) and waits for the ack. */
  async publish(
    subject: string,
    payload: string | Uint8Array,
    options: { msgId: string; headers: MsgHdrs; timeoutMs: number },
  ): Promise<PubAck> {
    options.headers.set('Nats-Msg-Id', options.msgId);
    let msg: Msg;
    try {
      msg = await this.inbox.send(subject, payload, options);
    } catch (error) {
      throw new PublishNotAcknowledgedError(notAcknowledged(error as NoReplyError), subject);
    }
    const outcome = parseAck(msg, subject);
    if (outcome instanceof Error) throw outcome;
    return outcome;
  }

  /** Fails every publish still waiting, and stops listening. */
  close(): void {
    this.inbox.close();
  }
}

function notAcknowledged(error: NoReplyError): string {
  if (error.reason === 'timeout') return `no acknowledgement for ${error.subject}`;
  if (error.reason === 'closed') return `publisher closed (${error.subject})`;
  if (error.reason === 'refused') return `${error.subject} not sent: ${error.message}`;
  return `acknowledgements lost: ${error.message}`;
}

function parseAck(msg: Msg, subject: string): PubAck | Error {
  // A status without a body: 503 is "no responders" (no stream takes the subject).
  if (msg.data.length === 0) {
    const status = msg.headers?.code ?? 0;
    return new PublishNotAcknowledgedError(
      status === 503 ? `no stream takes ${subject}` : `status ${status} for ${subject}`,
      subject,
    );
  }
  try {
    const ack = msg.json<{
      stream?: string;
      seq?: number;
      duplicate?: boolean;
      error?: { code: number; description: string };
    }>();
    if (ack.error)
      return new PublishNotAcknowledgedError(
        `${subject} refused: ${ack.error.description} (${ack.error.code})`,
        subject,
      );
    if (typeof ack.stream !== 'string' || typeof ack.seq !== 'number')
      return new PublishNotAcknowledgedError(`malformed acknowledgement for ${subject}`, subject);
    return { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate === true };
  } catch {
    return new PublishNotAcknowledgedError(`unreadable acknowledgement for ${subject}`, subject);
  }
}
