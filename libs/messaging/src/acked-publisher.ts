import {
  createInbox,
  type Msg,
  type MsgHdrs,
  type NatsConnection,
  type Subscription,
} from '@nats-io/transport-node';

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

interface Pending {
  subject: string;
  deadline: number;
  resolve: (ack: PubAck) => void;
  reject: (error: Error) => void;
}

const SWEEP_MS = 250;

/**
 * JetStream publishes whose acknowledgements share one subscription: each message goes out as a
 * plain PUB with the reply subject `<inbox>.<n>`, and the stream's PubAck (or error) on that
 * subject settles its promise. nats.js' `js.publish` makes a request per message instead, with a
 * timer, a mux entry and an Error built even on success; at thousands of events a second that was
 * a tenth of a service's CPU. Unanswered publishes fail after their timeout (checked every 250 ms).
 */
export class AckedPublisher {
  private readonly prefix = createInbox();
  private readonly pending = new Map<string, Pending>();
  private subscription?: Subscription;
  private sweeper?: NodeJS.Timeout;
  private next = 0;

  constructor(private readonly nc: NatsConnection) {}

  /** Publishes with `Nats-Msg-Id` = `msgId` (JetStream's duplicate window) and waits for the ack. */
  publish(
    subject: string,
    payload: string | Uint8Array,
    options: { msgId: string; headers: MsgHdrs; timeoutMs: number },
  ): Promise<PubAck> {
    this.subscription ??= this.nc.subscribe(`${this.prefix}.*`, {
      callback: (error, msg) => this.settle(error, msg),
    });
    const token = String(this.next++);
    options.headers.set('Nats-Msg-Id', options.msgId);
    return new Promise<PubAck>((resolve, reject) => {
      this.pending.set(token, {
        subject,
        deadline: Date.now() + options.timeoutMs,
        resolve,
        reject,
      });
      this.sweep();
      try {
        this.nc.publish(subject, payload, {
          reply: `${this.prefix}.${token}`,
          headers: options.headers,
        });
      } catch (error) {
        this.pending.delete(token);
        reject(error as Error);
      }
    });
  }

  /** Fails every publish still waiting, and stops listening. */
  close(): void {
    this.failAll('publisher closed');
    this.subscription?.unsubscribe();
    this.subscription = undefined;
  }

  private settle(error: Error | null, msg: Msg): void {
    if (error) return this.failAll(`acknowledgements lost: ${error.message}`);
    const token = msg.subject.slice(this.prefix.length + 1);
    const pending = this.pending.get(token);
    if (!pending) return; // timed out already
    this.pending.delete(token);
    const outcome = parseAck(msg, pending.subject);
    if (outcome instanceof Error) pending.reject(outcome);
    else pending.resolve(outcome);
  }

  /** Arms the sweep while anything waits; fails what waited past its deadline. */
  private sweep(): void {
    if (this.sweeper || this.pending.size === 0) return;
    this.sweeper = setTimeout(() => {
      this.sweeper = undefined;
      const now = Date.now();
      for (const [token, p] of this.pending)
        if (p.deadline <= now) {
          this.pending.delete(token);
          p.reject(
            new PublishNotAcknowledgedError(`no acknowledgement for ${p.subject}`, p.subject),
          );
        }
      this.sweep();
    }, SWEEP_MS);
    this.sweeper.unref();
  }

  private failAll(reason: string): void {
    for (const p of this.pending.values())
      p.reject(new PublishNotAcknowledgedError(`${reason} (${p.subject})`, p.subject));
    this.pending.clear();
  }
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
