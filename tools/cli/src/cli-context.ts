import { randomBytes, randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import type { Reply } from '@rcp/contracts';
import { CliError, EXIT, exitCodeOf } from './cli-errors';

/** The launcher's nats-server port (`RCP_NATS_PORT`, default 14222). */
export const defaultNatsUrl = (env: NodeJS.ProcessEnv = process.env) =>
  env.NATS_URL || `nats://127.0.0.1:${env.RCP_NATS_PORT || 14222}`;

export interface GlobalOptions {
  json: boolean;
  nats: string;
  timeoutMs: number;
  actor: string;
}

/** What every command gets: output, its options and a NATS connection made on first use. */
export class CliContext {
  private connection?: Promise<NatsConnection>;
  /** The trace id of the last request (every request starts its own trace). */
  lastTraceId?: string;

  constructor(
    readonly options: GlobalOptions,
    readonly out: (text: string) => void = (t) => process.stdout.write(`${t}\n`),
    readonly err: (text: string) => void = (t) => process.stderr.write(`${t}\n`),
  ) {}

  get json(): boolean {
    return this.options.json;
  }

  nc(): Promise<NatsConnection> {
    this.connection ??= connect({
      servers: this.options.nats.split(','),
      name: 'rollout-cli',
      user: process.env.NATS_USER,
      pass: process.env.NATS_PASSWORD,
      timeout: 3_000,
    }).catch((error: Error) => {
      throw new CliError(
        'UNAVAILABLE',
        `cannot connect to NATS at ${this.options.nats} (${error.message}); is the system running (npm start)? Set NATS_URL or --nats.`,
        EXIT.unavailable,
      );
    });
    return this.connection;
  }

  /** Sends a command (adds commandId and actor) and returns its data, or throws the error reply. */
  command<T>(subject: string, payload: Record<string, unknown>, timeoutMs?: number): Promise<T> {
    return this.query<T>(
      subject,
      { commandId: randomUUID(), actor: this.options.actor, ...payload },
      timeoutMs,
    );
  }

  /** Sends a query and returns its data, or throws the error reply as a {@link CliError}. */
  async query<T>(subject: string, payload: object = {}, timeoutMs?: number): Promise<T> {
    const reply = await this.request<T>(subject, payload, timeoutMs ?? this.options.timeoutMs);
    if (reply.ok) return reply.data;
    const { code, message, details } = reply.error;
    throw new CliError(code, message, exitCodeOf(code), details ?? []);
  }

  private async request<T>(subject: string, payload: object, timeoutMs: number): Promise<Reply<T>> {
    const nc = await this.nc();
    const traceId = randomBytes(16).toString('hex');
    const hdrs = headers();
    hdrs.set('traceparent', `00-${traceId}-${randomBytes(8).toString('hex')}-01`);
    this.lastTraceId = traceId;
    try {
      const msg = await nc.request(subject, JSON.stringify(payload), {
        timeout: timeoutMs,
        headers: hdrs,
      });
      return msg.json<Reply<T>>();
    } catch (error) {
      const text = (error as Error).message;
      const code = /timeout/i.test(text) ? 'TIMEOUT' : 'UNAVAILABLE';
      const hint = code === 'TIMEOUT' ? 'no reply in time' : 'no service answers';
      throw new CliError(code, `${subject}: ${hint} (${text})`, EXIT.unavailable);
    }
  }

  /** Prints data as JSON (with --json) or through `human`. */
  print(data: unknown, human: () => string): void {
    this.out(this.json ? JSON.stringify(data) : human());
  }

  async close(): Promise<void> {
    const nc = await this.connection?.catch(() => undefined);
    await nc?.drain().catch(() => undefined);
  }
}

export function defaultActor(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ROLLOUT_ACTOR) return env.ROLLOUT_ACTOR;
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}
