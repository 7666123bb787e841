import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { defineQuery, QueryDto } from '../messages';
import { StateCodeInput } from './fields';
import type { PageReply } from './list-state-rollouts.query';

/** Communities of the registry in one state, by population (largest first). */
export class ListCommunities extends QueryDto {
  @StateCodeInput()
  stateCode!: string;

  /** Case-insensitive part of the name. */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  search?: string;

  /** Page size, default 100. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  limit?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  offset?: number;
}

/** One community of the registry. */
export interface CommunityView {
  communityId: string;
  name: string;
  stateCode: string;
  county: string | null;
  latitude: number | null;
  longitude: number | null;
  population: number | null;
  source: string;
  externalId: string | null;
}

/** Reply of `qry.orchestrator.ListCommunities`. */
export type ListCommunitiesReply = PageReply<CommunityView>;

export const ListCommunitiesQuery = defineQuery(
  'orchestrator',
  'ListCommunities',
  ListCommunities,
  'Communities of the registry in a state.',
);
