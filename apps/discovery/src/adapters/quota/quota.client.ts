import type { NatsConnection } from '@nats-io/transport-node';
import {
  CommitReservationCommand,
  ERROR_CODES,
  ReleaseReservationCommand,
  ReserveQuotaCommand,
  type QuotaExceededDetails,
  type Reply,
  type ReserveQuotaReply,
} from '@rcp/contracts';
import { request } from '@rcp/messaging';
import { uuidFrom } from '../phases/phase-work';

export type ReserveResult =
  | { type: 'granted'; reservationId: string; units: number }
  | { type: 'refused'; message: string; remaining: number }
  | { type: 'unavailable'; message: string };

export interface ReserveRequest {
  meter: string;
  units: number;
  idempotencyKey: string;
  ttlMs: number;
}

/** What discovery asks of the quota service (`cmd.quota.*`), as a small port the gate is tested against. */
export interface QuotaPort {
  /** `waitForService`: wait out an unreachable quota service (up to the client's limit) before answering unavailable. */
  reserve(request: ReserveRequest, options?: { waitForService?: boolean }): Promise<ReserveResult>;
  /** Commits `units` (the rest returns) or, with 0, releases the reservation. */
  settle(reservationId: string, units: number): Promise<Reply<unknown>>;
}

/** The quota service over NATS request/reply; commandIds derive from the idempotency keys. */
export class NatsQuotaClient implements QuotaPort {
  constructor(
    private readonly nc: NatsConnection,
    private readonly tenantId: string,
    private readonly timeoutMs: number,
    /** How long an unreachable quota service is waited for before the phase gives up. */
    private readonly waitMs = Number(process.env.DISCOVERY_QUOTA_WAIT_MS ?? 30_000),
  ) {}

  /**
   * Reserves, waiting out a quota service that is restarting (same commandId on every try, so a
   * try that did get through is not granted twice); still unreachable after `waitMs`: unavailable.
   */
  async reserve(
    r: ReserveRequest,
    options: { waitForService?: boolean } = {},
  ): Promise<ReserveResult> {
    if (!options.waitForService) return this.reserveOnce(r);
    const deadline = Date.now() + this.waitMs;
    for (let delayMs = 250; ; delayMs = Math.min(delayMs * 2, 2_000)) {
      const result = await this.reserveOnce(r);
      if (result.type !== 'unavailable' || Date.now() + delayMs > deadline) return result;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }

  private async reserveOnce(r: ReserveRequest): Promise<ReserveResult> {
    const payload = {
      commandId: uuidFrom(`quota:${this.tenantId}:${r.meter}:${r.idempotencyKey}`),
      actor: 'discovery',
      tenantId: this.tenantId,
      ...r,
    };
    const reply = await request<ReserveQuotaReply>(
      this.nc,
      ReserveQuotaCommand.subject,
      payload,
      this.timeoutMs,
    );
    if (reply.ok)
      return { type: 'granted', reservationId: reply.data.reservationId, units: r.units };
    const { code, message, details } = reply.error;
    if (code === ERROR_CODES.QUOTA_EXCEEDED) {
      const info = details?.[0]?.value as Partial<QuotaExceededDetails> | undefined;
      return { type: 'refused', message, remaining: Math.max(0, Number(info?.remaining ?? 0)) };
    }
    if (code === ERROR_CODES.UNAVAILABLE || code === ERROR_CODES.TIMEOUT)
      return { type: 'unavailable', message };
    throw new Error(`quota reservation failed: ${code}: ${message}`);
  }

  settle(reservationId: string, units: number): Promise<Reply<unknown>> {
    const base = { actor: 'discovery', reservationId };
    return units > 0
      ? request(
          this.nc,
          CommitReservationCommand.subject,
          { ...base, commandId: uuidFrom(`quota-commit:${reservationId}`), units },
          this.timeoutMs,
        )
      : request(
          this.nc,
          ReleaseReservationCommand.subject,
          { ...base, commandId: uuidFrom(`quota-release:${reservationId}`), reason: 'unused' },
          this.timeoutMs,
        );
  }
}
