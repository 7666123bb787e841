import { type Reply } from '@rcp/contracts';
import { canonicalHash } from '@rcp/eventing';
import { streamIdOf } from '@rcp/persistence';
import { traceHeaders } from '@rcp/telemetry';
import type { AccountId } from '../../domain/quota-account/quota-account';
import { monthOf } from '../../domain/quota-account/quota-month';
import { accountRef, meterLimitRef, tenantRef } from './account-store';
import type { BatchReadKeys } from './batch-store';
import type { GrantCommand } from './grant-batcher';
import type { Granted } from './grant-outcome';
import type { GrantRequest } from './quota-accounts';

export type GrantKind = 'ReserveQuota' | 'ConsumeQuota';

/** One ReserveQuota or ConsumeQuota waiting for its account's next batch. */
export interface GrantItem {
  kind: GrantKind;
  commandId: string;
  actor: string;
  /** canonicalHash of the whole payload, as the chassis' CommandExecutor computes it. */
  hash: string;
  request: GrantRequest & { ttlMs?: number };
  traceHeaders: Record<string, string>;
}

/** A wire command as its batch takes it, in the caller's trace. */
export function grantItem(kind: GrantKind, command: GrantCommand): GrantItem {
  const { commandId, actor, tenantId, meter, units, idempotencyKey, ttlMs } = command;
  return {
    kind,
    commandId,
    actor,
    hash: canonicalHash(command),
    request: { tenantId, meter, units, idempotencyKey, ttlMs },
    traceHeaders: traceHeaders(),
  };
}

/** The reply as the chassis stores it in processed_commands. */
export type GrantReply = Reply<Granted<unknown>>;

export interface BatchClock {
  /** The decisions' clock (QuotaContext.clock): month, expiry, event dates. */
  now: Date;
  /** The envelopes' occurredAt (wall clock, as the CommandExecutor sets it). */
  occurredAt: Date;
}

export function accountOf(item: GrantItem, now: Date): AccountId {
  return { tenantId: item.request.tenantId, meter: item.request.meter, month: monthOf(now) };
}

/** The streams a grant decides on: its account and the two that set the account's limit. */
export function streamsOf(item: GrantItem, now: Date): { account: string; settings: string[] } {
  const { tenantId, meter } = item.request;
  return {
    account: streamIdOf(accountRef(accountOf(item, now))),
    settings: [streamIdOf(tenantRef(tenantId)), streamIdOf(meterLimitRef(tenantId, meter))],
  };
}

/** What the batch must read: stored replies, settings, accounts and earlier grants of its keys. */
export function readKeysOf(items: GrantItem[], now: Date): BatchReadKeys {
  const settings = new Set<string>();
  const accounts = new Set<string>();
  const keys: BatchReadKeys = {
    commandIds: items.map((i) => i.commandId),
    settingStreams: [],
    accountStreams: [],
    grantStreams: [],
    grantKeys: [],
  };
  for (const item of items) {
    const streams = streamsOf(item, now);
    for (const s of streams.settings) settings.add(s);
    accounts.add(streams.account);
    keys.grantStreams.push(streams.account);
    keys.grantKeys.push(item.request.idempotencyKey);
  }
  return { ...keys, settingStreams: [...settings], accountStreams: [...accounts] };
}
