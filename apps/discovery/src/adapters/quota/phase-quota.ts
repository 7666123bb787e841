import { placesMeter } from '@rcp/contracts';
import type { Logger } from '@rcp/telemetry';
import type { CallGate } from '../places/places-provider';
import type { QuotaPort } from './quota.client';

/** A paid call refused because this month's quota of its SKU meter is spent. */
export class QuotaExceededError extends Error {
  override name = 'QuotaExceededError';
}

/** A paid call not made because the quota service could not be asked. */
export class QuotaUnavailableError extends Error {
  override name = 'QuotaUnavailableError';
}

export interface PhaseQuotaOptions {
  port: QuotaPort;
  /** Unique per (community rollout, phase, attempt, claim): a re-run never reuses a spent key. */
  keyBase: string;
  ttlMs: number;
  chunk: number;
  /** Whether an unreachable quota service stops the call (else the phase runs unmetered). */
  strict(): boolean;
  /** The quota service replied. */
  answered(): void;
  logger: Logger;
}

interface Account {
  reservations: { id: string; units: number }[];
  granted: number;
  held: number;
  planned?: number;
  next: number;
  /** Reservations of one meter are made one at a time. */
  queue: Promise<void>;
}

/**
 * The Places quota of one phase run: a paid call goes ahead only with a unit held in a
 * reservation. The phase's expected calls are reserved with its first call, more in chunks when
 * needed; `settle` commits the calls actually billed and returns the rest. Once refused, every
 * further call of the run is refused at once.
 */
export class PhaseQuota {
  refusal?: string;
  unavailable?: string;
  unmetered = false;
  private readonly accounts = new Map<string, Account>();

  constructor(private readonly options: PhaseQuotaOptions) {}

  /** The units of a SKU tier the phase expects to use, reserved together with its first call. */
  plan(skuTier: string, units: number): void {
    if (units > 0) this.account(skuTier).planned = units;
  }

  readonly acquire: CallGate = ({ skuTier }) => {
    const account = this.account(skuTier);
    const run = account.queue.then(() => this.take(skuTier, account));
    account.queue = run.catch(() => undefined);
    return run;
  };

  /** Commits `billed` calls per tier (all held units when unknown) and releases the rest. */
  async settle(billed?: ReadonlyMap<string, number>): Promise<void> {
    const settling: Promise<void>[] = [];
    for (const [tier, account] of this.accounts) {
      await account.queue;
      let left = Math.min(account.granted, billed ? (billed.get(tier) ?? 0) : account.held);
      for (const r of account.reservations) {
        const units = Math.min(r.units, left);
        left -= units;
        settling.push(this.settleOne(r.id, units));
      }
      account.reservations = [];
      account.granted = account.held = 0;
    }
    await Promise.all(settling);
  }

  private async settleOne(reservationId: string, units: number): Promise<void> {
    const reply = await this.options.port.settle(reservationId, units).catch((error: Error) => ({
      ok: false as const,
      error: { code: 'INTERNAL', message: error.message, details: [] },
    }));
    if (!reply.ok)
      this.options.logger.warn('quota reservation not settled; it expires by itself', {
        reservationId,
        units,
        error: reply.error,
      });
  }

  private account(skuTier: string): Account {
    let account = this.accounts.get(skuTier);
    if (!account) {
      account = { reservations: [], granted: 0, held: 0, next: 0, queue: Promise.resolve() };
      this.accounts.set(skuTier, account);
    }
    return account;
  }

  private async take(skuTier: string, account: Account): Promise<void> {
    if (this.refusal) throw new QuotaExceededError(this.refusal);
    if (this.unavailable) throw new QuotaUnavailableError(this.unavailable);
    if (this.unmetered) return;
    if (account.held >= account.granted) {
      const units = account.planned ?? this.options.chunk;
      account.planned = undefined;
      await this.reserve(skuTier, account, Math.max(1, units));
      if (this.unmetered) return;
    }
    account.held += 1;
  }

  private async reserve(skuTier: string, account: Account, units: number): Promise<void> {
    const meter = placesMeter(skuTier);
    const result = await this.options.port.reserve(
      {
        meter,
        units,
        idempotencyKey: `${this.options.keyBase}:${skuTier}:${account.next++}:${units}`,
        ttlMs: this.options.ttlMs,
      },
      { waitForService: this.options.strict() },
    );
    if (result.type === 'granted') {
      this.options.answered();
      account.reservations.push({ id: result.reservationId, units });
      account.granted += units;
      return;
    }
    if (result.type === 'refused') {
      this.options.answered();
      // Less than a chunk left: take what is left rather than stop early.
      if (result.remaining > 0 && result.remaining < units)
        return this.reserve(skuTier, account, result.remaining);
      this.refusal = `${meter}: ${result.message}`;
      throw new QuotaExceededError(this.refusal);
    }
    if (!this.options.strict()) {
      this.unmetered = true;
      this.options.logger.warn('quota service not reachable; running unmetered', {
        meter,
        error: result.message,
      });
      return;
    }
    this.unavailable = `${meter}: ${result.message}`;
    throw new QuotaUnavailableError(this.unavailable);
  }
}
