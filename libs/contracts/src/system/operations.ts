import { IsOptional, IsString, Length } from 'class-validator';
import { CommandDto, defineCommand, defineQuery, QueryDto } from '../messages';
import { SERVICES, type ServiceName } from '../services';

/**
 * Drops every projection of a service and replays it: inline projections from the service's
 * `events` table, the others from `ROLLOUT_EVENTS`. Replies once all have caught up.
 */
export class RebuildProjections extends CommandDto {
  /** One projection by name (e.g. `api-usage`); all of them when omitted. */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  projection?: string;
}

/** Reply of `cmd.<service>.RebuildProjections`. */
export interface RebuildProjectionsReply {
  service: ServiceName;
  rebuilt: string[];
  durationMs: number;
}

/** `qry.<service>.Verify` takes an empty payload. */
export class VerifyQuery extends QueryDto {}

/** One check of a verify report. */
export interface VerifyCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** Reply of `qry.<service>.Verify`: schema tables, consumers caught up, service-specific invariants. */
export interface VerifyReply {
  service: ServiceName;
  ok: boolean;
  checks: VerifyCheck[];
}

const byService = <T>(make: (service: ServiceName) => T) =>
  Object.fromEntries(SERVICES.map((service) => [service, make(service)])) as Record<ServiceName, T>;

/** One RebuildProjections command per service (registered by the chassis). */
export const REBUILD_COMMANDS = byService((service) =>
  defineCommand(
    service,
    'RebuildProjections',
    RebuildProjections,
    `Drop and replay the projections of the ${service} service.`,
  ),
);

/** One Verify query per service (registered by the chassis). */
export const VERIFY_QUERIES = byService((service) =>
  defineQuery(
    service,
    'Verify',
    VerifyQuery,
    `Check the ${service} schema, its consumers and its invariants.`,
  ),
);

/** The operations definitions, for documents (AsyncAPI) that list every subject. */
export const SYSTEM_OPERATIONS = [
  ...Object.values(REBUILD_COMMANDS),
  ...Object.values(VERIFY_QUERIES),
];
