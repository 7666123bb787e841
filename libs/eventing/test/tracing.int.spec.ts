import { randomUUID } from 'node:crypto';
import { SpanKind } from '@opentelemetry/api';
import type { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { connectNats, request, type NatsConnection } from '@rcp/messaging';
import { startInMemoryTracing } from '@rcp/telemetry';
import { eventually, startTestInfra, type TestInfra } from '@rcp/testing';
import type { ServiceRuntime } from '../src';
import { tallyTotals } from './fixtures/tally.projections';
import { openTallyRuntime } from './fixtures/tally.runtime';

describe('one trace per command', () => {
  let exporter: InMemorySpanExporter;
  let infra: TestInfra;
  let runtime: ServiceRuntime;
  let nc: NatsConnection;

  beforeAll(async () => {
    exporter = startInMemoryTracing();
    infra = await startTestInfra('tracing');
    runtime = await openTallyRuntime({ ...infra, projections: [tallyTotals()] });
    await runtime.start();
    nc = await connectNats({ url: infra.natsUrl, name: 'test-client' });
  });

  afterAll(async () => {
    await nc?.close();
    await runtime?.stop();
    await infra?.stop();
  });

  it('puts the command handler span and the span of the consumer that applies its event in one trace', async () => {
    const tallyId = randomUUID();
    const reply = await request(nc, 'cmd.quota.AddToTally', {
      commandId: randomUUID(),
      actor: 'test',
      tallyId,
      amount: 3,
    });
    expect(reply.ok).toBe(true);

    const spans = await eventually(() => {
      const found = exporter.getFinishedSpans();
      const consume = found.find((s) => s.name === 'consume TallyIncremented');
      expect(consume).toBeDefined();
      return found;
    });
    const byName = (name: string) => spans.find((s) => s.name === name)!;
    const client = byName('request cmd.quota.AddToTally');
    const command = byName('command AddToTally');
    const publish = byName('publish TallyIncremented');
    const consume = byName('consume TallyIncremented');

    expect(command.kind).toBe(SpanKind.SERVER);
    expect(publish.kind).toBe(SpanKind.PRODUCER);
    expect(consume.kind).toBe(SpanKind.CONSUMER);
    const traceId = client.spanContext().traceId;
    for (const span of [command, publish, consume])
      expect(span.spanContext().traceId).toBe(traceId);
    expect(consume.parentSpanContext?.spanId).toBe(publish.spanContext().spanId);
  });
});
