import { ERROR_CODES } from '@rcp/contracts';
import {
  connectNats,
  NoReplyError,
  ReplyInbox,
  request,
  type NatsConnection,
} from '@rcp/messaging';
import { startTestInfra, type TestInfra } from '@rcp/testing';

/** request() (every command and query a service or test sends) over one shared reply inbox. */
describe('request over a shared reply inbox', () => {
  let infra: TestInfra;
  let nc: NatsConnection;

  beforeAll(async () => {
    infra = await startTestInfra('request');
    nc = await connectNats({ url: infra.natsUrl, name: 'request-test' });
    nc.subscribe('echo.test', {
      // Answers out of order: the later of two requests first.
      callback: (_error, msg) => {
        setTimeout(() => msg.respond(msg.data), 50 - Number(msg.json<{ n: number }>().n) * 10);
      },
    });
    await nc.flush();
  });

  afterAll(async () => {
    await nc?.close();
    await infra?.stop();
  });

  it('gives each of many concurrent requests its own reply', async () => {
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) => request(nc, 'echo.test', { n: i % 5, i })),
    );
    expect(replies.map((r) => (r as unknown as { i: number }).i)).toEqual(
      Array.from({ length: 200 }, (_, i) => i),
    );
  });

  it('replies UNAVAILABLE when nothing listens on the subject', async () => {
    const reply = await request(nc, 'nobody.listens', {}, 2_000);
    expect(reply).toMatchObject({
      ok: false,
      error: { code: ERROR_CODES.UNAVAILABLE, message: 'nobody.listens: no responders' },
    });
  });

  it('replies TIMEOUT when the responder stays silent, and goes on working', async () => {
    const silent = nc.subscribe('silent.request');
    const started = Date.now();
    const reply = await request(nc, 'silent.request', {}, 300);
    expect(reply).toMatchObject({ ok: false, error: { code: ERROR_CODES.TIMEOUT } });
    expect(Date.now() - started).toBeLessThan(1_500);
    silent.unsubscribe();
    expect(await request(nc, 'echo.test', { n: 0, i: 7 })).toEqual({ n: 0, i: 7 });
  });

  it('fails what still waits when its inbox closes, and a closed connection at once', async () => {
    const other = await connectNats({ url: infra.natsUrl, name: 'request-test-closing' });
    const silent = other.subscribe('silent.closing');
    await other.flush();
    const inbox = new ReplyInbox(nc);
    const waiting = inbox.send('silent.closing', '{}', { timeoutMs: 10_000 });
    inbox.close();
    await expect(waiting).rejects.toEqual(
      new NoReplyError('closed (silent.closing)', 'silent.closing', 'closed'),
    );
    silent.unsubscribe();
    await other.close();
    const reply = await request(other, 'echo.test', { n: 0, i: 1 }, 5_000);
    expect(reply).toMatchObject({ ok: false, error: { code: ERROR_CODES.UNAVAILABLE } });
  });
});
