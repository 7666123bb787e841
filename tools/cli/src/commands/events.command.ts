import { DeliverPolicy, jetstream, type JsMsg } from '@nats-io/jetstream';
import { STREAMS, type EventEnvelope } from '@rcp/contracts';
import type { CliContext } from '../cli-context';
import { str, type CommandSpec, type OptionValues } from '../command-spec';
import { UsageError } from '../cli-errors';
import { parseDuration } from '../render';

/** `events.<service>.<type>.<STATE>` with `*` for every part not given. */
export function eventFilter(values: OptionValues): string {
  const part = (name: string, upper = false) => {
    const v = str(values[name]);
    if (v !== undefined && !/^[A-Za-z0-9_-]+$/.test(v))
      throw new UsageError(`--${name} must be one subject token, got "${v}"`);
    return v ? (upper ? v.toUpperCase() : v) : '*';
  };
  return `events.${part('service')}.${part('type')}.${part('state', true)}`;
}

/** An ISO time or a duration back from now (`10m`, `2h`, `1d`). */
export function sinceTime(text: string, now = Date.now()): string {
  const ms = parseDuration(text);
  if (ms !== null) return new Date(now - ms).toISOString();
  const time = Date.parse(text);
  if (Number.isNaN(time))
    throw new UsageError(`--since must be an ISO time or a duration like 10m, got "${text}"`);
  return new Date(time).toISOString();
}

function line(msg: JsMsg, envelope: EventEnvelope): string {
  const data = JSON.stringify(envelope.data);
  return `${envelope.occurredAt}  #${msg.seq}  ${msg.subject}  ${envelope.aggregate.type}/${envelope.aggregate.id}@${envelope.aggregate.version}  ${data.length > 160 ? `${data.slice(0, 157)}...` : data}`;
}

function render(ctx: CliContext, msg: JsMsg): void {
  let envelope: EventEnvelope;
  try {
    envelope = msg.json<EventEnvelope>();
  } catch {
    return ctx.out(
      ctx.json
        ? JSON.stringify({ seq: msg.seq, subject: msg.subject, raw: msg.string() })
        : `#${msg.seq} ${msg.subject} (not JSON)`,
    );
  }
  ctx.out(
    ctx.json
      ? JSON.stringify({ seq: msg.seq, subject: msg.subject, ...envelope })
      : line(msg, envelope),
  );
}

export const eventsCommand: CommandSpec = {
  name: 'events',
  summary: 'Print events of ROLLOUT_EVENTS (JSON: one envelope per line, with seq and subject).',
  options: {
    service: {
      type: 'string',
      value: '<svc>',
      description: 'orchestrator | discovery | ledger | flags | quota',
    },
    type: { type: 'string', value: '<Type>', description: 'event type, e.g. StateRolloutStarted' },
    state: { type: 'string', value: '<ST>', description: 'state code, e.g. RI (`_` for none)' },
    since: { type: 'string', value: '<when>', description: 'ISO time or duration back (10m, 2h)' },
    follow: {
      type: 'boolean',
      short: 'f',
      description: 'keep printing new events (Ctrl-C to stop)',
    },
    limit: {
      type: 'string',
      value: '<n>',
      description: 'stop after n events (default 1000, unlimited with --follow)',
    },
  },
  examples: [
    'rollout events --state RI --type CommunityRolloutCompleted',
    'rollout events --service ledger --since 10m --json',
    'rollout events -f',
  ],
  async run(ctx, _args, values) {
    const follow = Boolean(values.follow);
    const limit = Number(str(values.limit) ?? (follow ? Infinity : 1000));
    const since = str(values.since);
    const consumer = await jetstream(await ctx.nc()).consumers.get(STREAMS.events, {
      filter_subjects: eventFilter(values),
      ...(since
        ? { deliver_policy: DeliverPolicy.StartTime, opt_start_time: sinceTime(since) }
        : {}),
    });
    if (!follow && (await consumer.info()).num_pending === 0) return;
    const messages = await consumer.consume();
    process.once('SIGINT', () => void messages.close());
    let count = 0;
    for await (const msg of messages) {
      render(ctx, msg);
      if (++count >= limit || (!follow && msg.info.pending === 0)) break;
    }
    await messages.close().catch(() => undefined);
  },
};
