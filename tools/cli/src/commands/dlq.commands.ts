import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
import { HEADERS, STREAMS, type DeadLetter } from '@rcp/contracts';
import type { CliContext } from '../cli-context';
import { str, type CommandSpec } from '../command-spec';
import { CliError, UsageError } from '../cli-errors';
import { table } from '../render';

function sequence(raw: string): number {
  if (!/^\d+$/.test(raw))
    throw new UsageError(`<seq> must be a DLQ stream sequence number, got "${raw}"`);
  return Number(raw);
}

async function letterAt(ctx: CliContext, seq: number): Promise<DeadLetter> {
  const jsm = await jetstreamManager(await ctx.nc());
  const msg = await jsm.streams.getMessage(STREAMS.deadLetters, { seq }).catch(() => null);
  if (!msg) throw new CliError('NOT_FOUND', `no dead letter #${seq} in ${STREAMS.deadLetters}`);
  return msg.json<DeadLetter>();
}

async function listLetters(ctx: CliContext, service?: string) {
  const consumer = await jetstream(await ctx.nc()).consumers.get(STREAMS.deadLetters, {
    filter_subjects: `dlq.${service ?? '*'}.*`,
    deliver_policy: DeliverPolicy.All,
  });
  const letters: Array<DeadLetter & { seq: number }> = [];
  if ((await consumer.info()).num_pending === 0) return letters;
  const messages = await consumer.consume();
  for await (const msg of messages) {
    letters.push({ seq: msg.seq, ...msg.json<DeadLetter>() });
    if (msg.info.pending === 0 || letters.length >= 10_000) break;
  }
  await messages.close().catch(() => undefined);
  return letters;
}

export const dlqCommands: CommandSpec[] = [
  {
    name: 'dlq list',
    summary: 'Dead letters in ROLLOUT_DLQ: events a consumer could not apply after its deliveries.',
    options: {
      service: { type: 'string', value: '<svc>', description: 'only this service’s consumers' },
    },
    async run(ctx, _args, values) {
      const letters = await listLetters(ctx, str(values.service));
      ctx.print(letters, () =>
        letters.length === 0
          ? 'No dead letters.'
          : table(
              ['seq', 'at', 'consumer', 'event subject', 'deliveries', 'error'],
              letters.map((l) => [
                l.seq,
                l.deadLetteredAt,
                `${l.service}-${l.consumer}`,
                l.subject,
                l.deliveryCount,
                l.error.message,
              ]),
            ),
      );
    },
  },
  {
    name: 'dlq show',
    args: '<seq>',
    required: 1,
    summary: 'One dead letter in full: the error, the consumer and the original event.',
    async run(ctx, [seq]) {
      const letter = await letterAt(ctx, sequence(seq));
      ctx.print(letter, () => JSON.stringify(letter, null, 2));
    },
  },
  {
    name: 'dlq replay',
    args: '<seq>',
    required: 1,
    summary:
      'Publish a dead letter’s event again on its subject (consumers that applied it skip it by event id), then remove it from the DLQ.',
    options: { keep: { type: 'boolean', description: 'keep the dead letter after replaying' } },
    async run(ctx, [raw], values) {
      const seq = sequence(raw);
      const letter = await letterAt(ctx, seq);
      if (!letter.envelope)
        throw new CliError(
          'NOT_REPLAYABLE',
          `dead letter #${seq} holds bytes that are not an event envelope`,
        );
      const nc = await ctx.nc();
      const hdrs = headers();
      hdrs.set(HEADERS.eventType, letter.envelope.type);
      hdrs.set(HEADERS.eventVersion, String(letter.envelope.version));
      const ack = await jetstream(nc).publish(letter.subject, JSON.stringify(letter.envelope), {
        msgID: `replay:${letter.envelope.id}:${seq}:${Date.now()}`,
        headers: hdrs,
      });
      if (!values.keep)
        await (await jetstreamManager(nc)).streams.deleteMessage(STREAMS.deadLetters, seq);
      const result = {
        replayed: seq,
        subject: letter.subject,
        eventId: letter.envelope.id,
        streamSequence: ack.seq,
        removed: !values.keep,
      };
      ctx.print(
        result,
        () =>
          `Replayed dead letter #${seq} as event #${ack.seq} on ${letter.subject}${values.keep ? '' : '; removed it from the DLQ'}.`,
      );
    },
  },
];
