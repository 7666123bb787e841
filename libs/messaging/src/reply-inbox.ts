import {
  createInbox,
  type Msg,
  type MsgHdrs,
  type NatsConnection,
  type Subscription,
} from '@nats-io/transport-node';

/** Why a message sent through a ReplyInbox got no reply. */
export type NoReplyReason = 'timeout' | 'closed' | 'lost' | 'refused';

/** No reply came: timed out, the inbox was closed or lost its subscription, or the send failed. */
export class NoReplyError extends Error {
  constructor(
    message: string,
    readonly subject: string,
    readonly reason: NoReplyReason,
  ) {
    super(message);
    this.name = 'NoReplyError';
  }
}

interface Pending {
  subject: string;
  deadline: number;
  resolve: (msg: Msg) => void;
  reject: (error: Error) => void;
}

const SWEEP_MS = 100;

/**
 * Messages that each expect one reply, sharing one subscription: every message goes out as a
 * plain PUB with the reply subject `<inbox>.<n>`, and the first message on that subject settles
 * its promise. nats.js' request makes a mux entry and a timer per message, and on success still
 * builds a "cancelled" Error (with its stack) that nobody sees: at thousands of requests a second
 * that was a fifth of a client's CPU. Unanswered messages fail after their timeout (checked every
 * 100 ms); a status reply (503: no responders) is a reply like any other, for the caller to read.
 */
export class ReplyInbox {
  private readonly prefix = createInbox();
  private readonly pending = new Map<string, Pending>();
  private subscription?: Subscription;
  private sweeper?: NodeJS.Timeout;
  private next = 0;

  constructor(private readonly nc: NatsConnection) {}

  send(
    subject: string,
    payload: string | Uint8Array,
    options: { headers?: MsgHdrs; timeoutMs: number },
  ): Promise<Msg> {
    this.subscription ??= this.nc.subscribe(`${this.prefix}.*`, {
      callback: (error, msg) => this.settle(error, msg),
    });
    const token = String(this.next++);
    return new Promise<Msg>((resolve, reject) => {
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
        reject(new NoReplyError((error as Error).message, subject, 'refused'));
      }
    });
  }

  /** Fails every message still waiting, and stops listening. */
  close(): void {
    this.failAll('closed', 'closed');
    this.subscription?.unsubscribe();
    this.subscription = undefined;
  }

  private settle(error: Error | null, msg: Msg): void {
    if (error) return this.failAll(`replies lost: ${error.message}`, 'lost');
    const token = msg.subject.slice(this.prefix.length + 1);
    const pending = this.pending.get(token);
    if (!pending) return; // timed out already
    this.pending.delete(token);
    pending.resolve(msg);
  }

  /** Arms the sweep while anything waits; fails what waited past its deadline. */
  private sweep(): void {
    if (this.sweeper || this.pending.size === 0) return;
    this.sweeper = setTimeout(() => {
      this.sweeper = undefined;
      if (this.nc.isClosed()) return this.failAll('connection closed', 'closed');
      const now = Date.now();
      for (const [token, p] of this.pending)
        if (p.deadline <= now) {
          this.pending.delete(token);
          p.reject(new NoReplyError(`no reply from ${p.subject} (timeout)`, p.subject, 'timeout'));
        }
      this.sweep();
    }, SWEEP_MS);
    this.sweeper.unref();
  }

  private failAll(why: string, reason: NoReplyReason): void {
    for (const p of this.pending.values())
      p.reject(new NoReplyError(`${why} (${p.subject})`, p.subject, reason));
    this.pending.clear();
  }
}
