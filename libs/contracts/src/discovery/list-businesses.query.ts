import { IsInt, IsOptional, IsUUID, Max, Min, ValidateIf } from 'class-validator';
import { defineQuery, QueryDto } from '../messages';
import type { PageReply } from '../orchestrator/list-state-rollouts.query';

/** Businesses discovery holds for a community (by `communityRolloutId` or `communityId`). */
export class ListBusinesses extends QueryDto {
  @ValidateIf((o: ListBusinesses) => o.communityId == null || o.communityRolloutId != null)
  @IsUUID()
  communityRolloutId?: string;

  @ValidateIf((o: ListBusinesses) => o.communityRolloutId == null || o.communityId != null)
  @IsUUID()
  communityId?: string;

  /** Page size, default 100. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  offset?: number;
}

/** One business as discovery holds it. */
export interface BusinessView {
  placeId: string;
  name: string;
  category: string;
  primaryType: string | null;
  address: string | null;
  latitude: number;
  longitude: number;
  website: string | null;
  phone: string | null;
  /** Outcome of the last website scan, when scanned. */
  scanOutcome: string | null;
  feedUrls: string[];
  enriched: boolean;
}

/** Reply of `qry.discovery.ListBusinesses`. */
export type ListBusinessesReply = PageReply<BusinessView>;

export const ListBusinessesQuery = defineQuery(
  'discovery',
  'ListBusinesses',
  ListBusinesses,
  'Businesses discovered for a community, with scan and enrichment state.',
);
