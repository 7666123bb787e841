import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

/**
 * True once a NATS server answers at `url` and its JetStream returns the account info. With
 * `serverName`, the answering server must carry that name (another server may hold the port).
 */
export async function isJetStreamReady(
  url: string,
  timeoutMs = 2_000,
  serverName?: string,
): Promise<boolean> {
  const nc = await connect({ servers: url, timeout: timeoutMs, reconnect: false });
  try {
    const answered = nc.info?.server_name;
    if (serverName !== undefined && answered !== serverName) {
      throw new Error(`${url} is answered by server "${answered}", not "${serverName}"`);
    }
    const jsm = await jetstreamManager(nc, { timeout: timeoutMs });
    await jsm.getAccountInfo();
    return true;
  } finally {
    await nc.close();
  }
}

/** True when a NATS server accepts a connection at `url`. */
export async function isNatsReachable(url: string, timeoutMs = 2_000): Promise<boolean> {
  try {
    const nc = await connect({ servers: url, timeout: timeoutMs, reconnect: false });
    await nc.close();
    return true;
  } catch {
    return false;
  }
}
