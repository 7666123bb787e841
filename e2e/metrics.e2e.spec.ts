import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { findFreePort } from '@rcp/infra';
import { request } from '@rcp/messaging';
import {
  eventually,
  spawnDist,
  startTestInfra,
  type NodeProcess,
  type TestInfra,
} from '@rcp/testing';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.eE+-]+|NaN|\+Inf|-Inf)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses Prometheus text exposition; throws on any line that is not a comment or a sample. */
function parsePrometheus(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP')) continue;
    const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1], type[2]);
      continue;
    }
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not Prometheus text: ${line}`);
    const labels = Object.fromEntries(
      [...(match[2] ?? '').matchAll(LABEL)].map((m) => [m[1], m[2]]),
    );
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return { samples, types };
}

describe('metrics and health over HTTP', () => {
  let infra: TestInfra;
  let nc: NatsConnection;
  let flags: NodeProcess;
  let base: string;

  beforeAll(async () => {
    infra = await startTestInfra('metrics');
    nc = await connect({ servers: infra.natsUrl });
    const port = await findFreePort();
    base = `http://127.0.0.1:${port}`;
    flags = spawnDist('apps/flags/src/main.js', {
      NATS_URL: infra.natsUrl,
      DATABASE_URL: infra.databaseUrl,
      METRICS_PORT: String(port),
      LOG_LEVEL: 'warn',
    });
    await eventually(
      async () => expect((await fetch(`${base}/health`)).status).toBe(200),
      60_000,
      250,
    );
  }, 90_000);

  afterAll(async () => {
    await flags?.stop();
    await nc?.close();
    await infra?.stop();
  }, 60_000);

  it('answers /health with the service, NATS and database status', async () => {
    const res = await fetch(`${base}/health`);
    expect(await res.json()).toMatchObject({
      service: 'flags',
      status: 'ok',
      nats: true,
      database: true,
    });
  });

  it('serves Prometheus text with command latency, events applied, consumer lag and dead letters', async () => {
    const flag = `metrics-${randomUUID().slice(0, 8)}`;
    const created = await request(
      nc,
      'cmd.flags.CreateFlag',
      { commandId: randomUUID(), actor: 'e2e', flag },
      10_000,
    );
    expect(created.ok).toBe(true);
    await request(
      nc,
      'cmd.flags.CreateFlag',
      { commandId: randomUUID(), actor: 'e2e', flag: '' },
      10_000,
    );

    await eventually(
      async () => {
        const res = await fetch(`${base}/metrics`);
        expect(res.headers.get('content-type')).toContain('text/plain');
        const { samples, types } = parsePrometheus(await res.text());
        const sum = (name: string, where: (s: Sample) => boolean = () => true) =>
          samples.filter((s) => s.name === name && where(s)).reduce((n, s) => n + s.value, 0);
        expect(types.get('rcp_command_duration_seconds')).toBe('histogram');
        expect(
          sum(
            'rcp_command_duration_seconds_count',
            (s) => s.labels.subject === 'cmd.flags.CreateFlag' && s.labels.outcome === 'ok',
          ),
        ).toBe(1);
        expect(
          sum(
            'rcp_command_duration_seconds_count',
            (s) => s.labels.outcome === 'VALIDATION_FAILED',
          ),
        ).toBe(1);
        expect(
          sum('rcp_events_applied_total', (s) => s.labels.service === 'flags'),
        ).toBeGreaterThan(0);
        expect(
          samples.some(
            (s) => s.name === 'rcp_consumer_lag' && s.labels.consumer?.startsWith('flags-'),
          ),
        ).toBe(true);
        expect(sum('rcp_consumer_lag')).toBe(0);
        expect(types.get('rcp_dead_letters_total')).toBe('counter');
      },
      30_000,
      250,
    );
  }, 60_000);
});
