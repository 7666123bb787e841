import { connectNats, request, type NatsConnection } from '@rcp/messaging';
import { spawnDist, startTestInfra, type NodeProcess, type TestInfra } from '@rcp/testing';
import { randomUUID } from 'node:crypto';

describe('no overspend with two quota-service replicas', () => {
  let infra: TestInfra;
  let replicas: NodeProcess[] = [];
  let nc: NatsConnection;

  beforeAll(async () => {
    infra = await startTestInfra('quota_overspend');
    const env = {
      NATS_URL: infra.natsUrl,
      DATABASE_URL: infra.databaseUrl,
      LOG_LEVEL: 'info',
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
    };
    replicas = [spawnDist('apps/quota/src/main.js', env), spawnDist('apps/quota/src/main.js', env)];
    await Promise.all(replicas.map((r) => r.waitForOutput(/service started/, 30_000)));
    nc = await connectNats({ url: infra.natsUrl, name: 'overspend-client' });
  });

  afterAll(async () => {
    await nc?.close();
    await Promise.all(replicas.map((r) => r.stop()));
    await infra?.stop();
  });

  const command = (name: string, payload: object) =>
    request(
      nc,
      `cmd.quota.${name}`,
      { commandId: randomUUID(), actor: 'test', ...payload },
      30_000,
    );

  it('grants exactly 20 of 100 concurrent reservations against 20 remaining; 80 get QUOTA_EXCEEDED', async () => {
    const tenantId = 'tenant-race';
    const meter = 'google_places.essentials';
    expect((await command('SetQuotaLimit', { tenantId, meter, limit: 25 })).ok).toBe(true);
    expect(
      (await command('ConsumeQuota', { tenantId, meter, units: 5, idempotencyKey: 'earlier' })).ok,
    ).toBe(true);
    const replies = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        command('ReserveQuota', { tenantId, meter, units: 1, idempotencyKey: `call-${i}` }),
      ),
    );
    const granted = replies.filter((r) => r.ok);
    const refused = replies.filter((r) => !r.ok && r.error.code === 'QUOTA_EXCEEDED');
    expect({ granted: granted.length, refused: refused.length }).toEqual({
      granted: 20,
      refused: 80,
    });
    const remainders = granted
      .map((r) => (r.ok ? (r.data as { remaining: number }).remaining : -1))
      .sort((a, b) => a - b);
    expect(remainders).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const served = replicas.map((r) => r.output().length);
    expect(served.every((n) => n > 0)).toBe(true);
  });
});
