import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { defineEvent } from '../messages';
import { MAX_BUSINESSES_PER_EVENT } from './businesses-discovered.event';
import { DiscoveryEventRef } from './discovery-event-ref.dto';

/** Pro-tier details of one business. */
export class BusinessEnrichmentDto {
  @IsString()
  @Length(1, 300)
  placeId!: string;

  @IsOptional()
  @IsString()
  @MaxLength(50)
  phone?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  website?: string;

  /** Weekday descriptions, e.g. `Monday: 9:00 AM – 5:00 PM`. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(14)
  @IsString({ each: true })
  openingHours?: string[];

  /** `OPERATIONAL`, `CLOSED_TEMPORARILY`, `CLOSED_PERMANENTLY`. */
  @IsOptional()
  @IsString()
  @MaxLength(50)
  businessStatus?: string;

  /** Other Pro fields, as returned. */
  @IsOptional()
  @IsObject()
  details?: Record<string, unknown>;
}

/** Phase 4: businesses with websites got Pro-tier place details (batched). */
export class BusinessesEnriched extends DiscoveryEventRef {
  @IsArray()
  @ArrayMaxSize(MAX_BUSINESSES_PER_EVENT)
  @ValidateNested({ each: true })
  @Type(() => BusinessEnrichmentDto)
  businesses!: BusinessEnrichmentDto[];

  @IsISO8601()
  enrichedAt!: string;
}

export const BusinessesEnrichedEvent = defineEvent(
  'discovery',
  'BusinessesEnriched',
  BusinessesEnriched,
  {
    aggregateType: 'Business',
    summary: 'Phase 4: businesses got Pro-tier details (batched).',
  },
);
