import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

/** Every message stored in a stream (optionally under a subject filter), decoded as JSON. */
export async function readStream<T = unknown>(
  nc: NatsConnection,
  stream: string,
  subject?: string,
): Promise<Array<{ seq: number; subject: string; data: T; headers: Record<string, string> }>> {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(stream);
  const out: Array<{ seq: number; subject: string; data: T; headers: Record<string, string> }> = [];
  for (
    let seq = info.state.first_seq;
    seq <= info.state.last_seq && info.state.messages > 0;
    seq++
  ) {
    const msg = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
    if (!msg || (subject && !matches(subject, msg.subject))) continue;
    const headers: Record<string, string> = {};
    for (const key of msg.header?.keys() ?? []) headers[key] = msg.header.get(key);
    out.push({ seq: msg.seq, subject: msg.subject, data: msg.json<T>(), headers });
  }
  return out;
}

function matches(filter: string, subject: string): boolean {
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '>') return true;
    if (f[i] !== '*' && f[i] !== s[i]) return false;
  }
  return f.length === s.length;
}
