import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import {
  ERROR_CODES,
  errorReply,
  okReply,
  type CommandDefinition,
  type QueryDefinition,
  type Reply,
  type ServiceName,
} from '@rcp/contracts';
import { DomainError, ValidationError } from '@rcp/domain';
import { contextFromHeaders, metrics, SpanKind, withSpan, type Logger } from '@rcp/telemetry';
import { toErrorReply } from './error-reply';
import { fromNatsHeaders } from './headers';
import type { RequestContext, RequestHandler, Route } from './request-handler';
import { validatePayload } from './validation';

/**
 * Serves `cmd.<service>.>` and `qry.<service>.>` over core NATS request/reply with the service's
 * queue group. Every request is parsed, validated and answered with `{ ok, data | error }`;
 * nothing a client sends can crash the service.
 */
export class CommandBus {
  private readonly routes = new Map<string, Route>();
  private readonly subscriptions: Subscription[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly service: ServiceName,
    private readonly logger: Logger,
  ) {}

  register<T extends object>(
    definition: CommandDefinition<T> | QueryDefinition<T>,
    handler: RequestHandler<T>,
  ): void {
    if (definition.service !== this.service)
      throw new Error(`${definition.subject} does not belong to ${this.service}`);
    this.routes.set(definition.subject, {
      subject: definition.subject,
      name: definition.name,
      payload: definition.payload,
      handler,
    } as unknown as Route);
  }

  /** Subscribes, and resolves once the server has the subscriptions (so the service is reachable). */
  async start(): Promise<void> {
    for (const prefix of ['cmd', 'qry']) {
      this.subscriptions.push(
        this.nc.subscribe(`${prefix}.${this.service}.>`, {
          queue: this.service,
          callback: (err, msg) => {
            if (err) return this.logger.error('subscription error', { error: err });
            const task = this.serve(msg).finally(() => this.inFlight.delete(task));
            this.inFlight.add(task);
          },
        }),
      );
    }
    await this.nc.flush();
  }

  /** Stops taking requests and waits for the ones in flight. */
  async stop(): Promise<void> {
    for (const sub of this.subscriptions.splice(0)) sub.unsubscribe();
    await Promise.allSettled([...this.inFlight]);
  }

  private async serve(msg: Msg): Promise<void> {
    const traceHeaders = fromNatsHeaders(msg.headers);
    const name = msg.subject.split('.').slice(2).join('.');
    const timer = metrics.commandDuration.startTimer({ service: this.service });
    const reply = await withSpan(
      `${msg.subject.startsWith('cmd.') ? 'command' : 'query'} ${name}`,
      {
        kind: SpanKind.SERVER,
        parent: contextFromHeaders(traceHeaders),
        attributes: { 'messaging.system': 'nats', 'messaging.destination.name': msg.subject },
      },
      () => this.dispatch(msg, traceHeaders),
    );
    const known = this.routes.has(msg.subject) ? msg.subject : 'unknown';
    timer({ subject: known, outcome: reply.ok ? 'ok' : reply.error.code });
    if (msg.reply) msg.respond(JSON.stringify(reply));
  }

  private async dispatch(msg: Msg, traceHeaders: Record<string, string>): Promise<Reply> {
    const route = this.routes.get(msg.subject);
    if (!route)
      return errorReply(ERROR_CODES.UNKNOWN_COMMAND, `no handler for ${msg.subject}`, [
        { field: 'subject', message: `unknown subject ${msg.subject}` },
      ]);
    const raw = msg.data.length === 0 ? '{}' : UTF8.decode(msg.data);
    try {
      const payload = await validatePayload(route.payload, parseJson(raw));
      const ctx: RequestContext = { subject: msg.subject, traceHeaders, raw };
      return okReply(await route.handler(payload, ctx));
    } catch (error) {
      if (!(error instanceof DomainError))
        this.logger.error('request failed', { subject: msg.subject, error });
      return toErrorReply(error);
    }
  }
}

const UTF8 = new TextDecoder();

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new ValidationError(
      'payload is not valid JSON',
      [{ message: (error as Error).message }],
      { cause: error },
    );
  }
}
