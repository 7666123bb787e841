import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { defineEvent } from '../messages';
import { DiscoveryEventRef } from './discovery-event-ref.dto';

/**
 * Phase 6 publishes what the downstream products consume: directory listings, event venues and CRM
 * leads, each in batches of at most 500 items for one community. Items are keyed by `placeId`;
 * a consumer upserts by it, so a repeated batch changes nothing.
 */
export const MAX_SEEDED_ITEMS_PER_EVENT = 500;

/** Fields every seeded item has. */
abstract class SeededPlace {
  @IsString()
  @Length(1, 300)
  placeId!: string;

  @IsString()
  @Length(1, 500)
  name!: string;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  address?: string;

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  latitude!: number;

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  longitude!: number;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  website?: string;

  @IsOptional()
  @IsString()
  @MaxLength(50)
  phone?: string;
}

/** A business listing for the local directory. */
export class DirectoryListingItem extends SeededPlace {
  @IsString()
  @Length(1, 100)
  category!: string;
}

/** A place that hosts events (venue types such as `event_venue`, `bar`, `park`). */
export class EventVenueItem extends SeededPlace {
  @IsString()
  @Length(1, 100)
  venueType!: string;
}

/** A sales lead for the CRM. */
export class CrmLeadItem extends SeededPlace {
  @IsString()
  @Length(1, 100)
  category!: string;

  /** 0–100, higher is a better lead (website, ratings, feed). */
  @IsInt()
  @Min(0)
  @Max(100)
  score!: number;
}

/** Directory listings seeded for a community (batched). */
export class DirectoryListingSeeded extends DiscoveryEventRef {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SEEDED_ITEMS_PER_EVENT)
  @ValidateNested({ each: true })
  @Type(() => DirectoryListingItem)
  items!: DirectoryListingItem[];

  @IsISO8601()
  seededAt!: string;
}

/** Event venues seeded for a community (batched). */
export class EventVenueSeeded extends DiscoveryEventRef {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SEEDED_ITEMS_PER_EVENT)
  @ValidateNested({ each: true })
  @Type(() => EventVenueItem)
  items!: EventVenueItem[];

  @IsISO8601()
  seededAt!: string;
}

/** CRM leads seeded for a community (batched). */
export class CrmLeadSeeded extends DiscoveryEventRef {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SEEDED_ITEMS_PER_EVENT)
  @ValidateNested({ each: true })
  @Type(() => CrmLeadItem)
  items!: CrmLeadItem[];

  @IsISO8601()
  seededAt!: string;
}

export const DirectoryListingSeededEvent = defineEvent(
  'discovery',
  'DirectoryListingSeeded',
  DirectoryListingSeeded,
  {
    aggregateType: 'CommunityRollout',
    summary: 'Phase 6: directory listings for a community (batched).',
  },
);

export const EventVenueSeededEvent = defineEvent(
  'discovery',
  'EventVenueSeeded',
  EventVenueSeeded,
  {
    aggregateType: 'CommunityRollout',
    summary: 'Phase 6: event venues for a community (batched).',
  },
);

export const CrmLeadSeededEvent = defineEvent('discovery', 'CrmLeadSeeded', CrmLeadSeeded, {
  aggregateType: 'CommunityRollout',
  summary: 'Phase 6: CRM leads for a community (batched).',
});
