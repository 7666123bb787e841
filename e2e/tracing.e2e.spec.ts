import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { headers } from '@nats-io/transport-node';
import { eventually } from '@rcp/testing';
import {
  importTowns,
  startSystem,
  type SystemUnderTest,
} from '../tools/cli/test/system-under-test';

interface ReceivedSpan {
  service: string;
  traceId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}

const KIND = { server: 2, producer: 4, consumer: 5 };

/** OTLP/JSON ids are hex; accept base64 too in case an exporter encodes bytes that way. */
const hexId = (id: string) =>
  /^[0-9a-f]{32}$/i.test(id) ? id.toLowerCase() : Buffer.from(id, 'base64').toString('hex');

type OtlpValue = { stringValue?: string; intValue?: string; boolValue?: boolean };
type OtlpBody = {
  resourceSpans?: Array<{
    resource?: { attributes?: Array<{ key: string; value: OtlpValue }> };
    scopeSpans?: Array<{
      spans?: Array<{
        traceId: string;
        name: string;
        kind: number;
        attributes?: Array<{ key: string; value: OtlpValue }>;
      }>;
    }>;
  }>;
};

const attrs = (list: Array<{ key: string; value: OtlpValue }> = []) =>
  Object.fromEntries(
    list.map(({ key, value }) => [key, value.stringValue ?? value.intValue ?? value.boolValue]),
  );

/** A local OTLP/HTTP receiver: POST /v1/traces with OTLP JSON. */
function startReceiver(spans: ReceivedSpan[]): Promise<Server> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        for (const rs of (JSON.parse(body) as OtlpBody).resourceSpans ?? []) {
          const service = String(attrs(rs.resource?.attributes)['service.name']);
          for (const s of (rs.scopeSpans ?? []).flatMap((ss) => ss.spans ?? []))
            spans.push({
              service,
              traceId: hexId(s.traceId),
              name: s.name,
              kind: s.kind,
              attributes: attrs(s.attributes),
            });
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('one StartStateRollout is one trace across the services', () => {
  const spans: ReceivedSpan[] = [];
  let receiver: Server;
  let system: SystemUnderTest;

  beforeAll(async () => {
    receiver = await startReceiver(spans);
    const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    system = await startSystem('tracing', () => ({
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '200',
      LOG_LEVEL: 'debug',
    }));
    await importTowns(system.nc, 'DE', 2);
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
    receiver?.closeAllConnections();
    receiver?.close();
  }, 60_000);

  it('exports spans of orchestrator, discovery, ledger and quota, with producer/consumer kinds and PostgreSQL spans, under the trace id the CLI started', async () => {
    const started = await system.cli([
      'start',
      'DE',
      '--batch-size',
      '2',
      '--throttle-ms',
      '0',
      '--json',
    ]);
    expect(started.code).toBe(0);
    const { traceId } = JSON.parse(started.stdout) as { traceId: string };

    await eventually(
      async () => {
        const trace = spans.filter((s) => s.traceId === traceId);
        const services = new Set(trace.map((s) => s.service));
        expect([...services]).toEqual(
          expect.arrayContaining(['orchestrator', 'discovery', 'ledger', 'quota']),
        );
        const of = (service: string, kind: number) =>
          trace.filter((s) => s.service === service && s.kind === kind);
        expect(of('orchestrator', KIND.server).map((s) => s.name)).toContain(
          'command StartStateRollout',
        );
        expect(of('orchestrator', KIND.producer).length).toBeGreaterThan(0);
        expect(of('discovery', KIND.consumer).map((s) => s.name)).toContain(
          'consume CommunityPhaseRequested',
        );
        expect(of('ledger', KIND.consumer).map((s) => s.name)).toContain(
          'consume ApiUsageRecorded',
        );
        expect(of('quota', KIND.server).map((s) => s.name)).toContain('command ReserveQuota');
        const pg = trace.filter(
          (s) =>
            s.attributes['db.system'] === 'postgresql' ||
            s.attributes['db.system.name'] === 'postgresql',
        );
        expect(new Set(pg.map((s) => s.service))).toEqual(
          new Set(['orchestrator', 'discovery', 'ledger', 'quota']),
        );
      },
      60_000,
      250,
    );
  }, 90_000);

  it('writes the trace id into the JSON log lines of a traced request', async () => {
    const traceId = randomBytes(16).toString('hex');
    const hdrs = headers();
    hdrs.set('traceparent', `00-${traceId}-${randomBytes(8).toString('hex')}-01`);
    await system.nc.request('qry.ledger.Verify', '{}', { headers: hdrs, timeout: 30_000 });
    const line = await system.services.ledger.waitForOutput(
      new RegExp(`"trace_id":"${traceId}"`),
      10_000,
    );
    expect(JSON.parse(line)).toMatchObject({ service: 'ledger', msg: 'verify', trace_id: traceId });
  }, 60_000);
});
