import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
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

/** Most businesses in one `BusinessesDiscovered` / `BusinessesEnriched`; more are split. */
export const MAX_BUSINESSES_PER_EVENT = 500;

/** A business found by Places (keyed by its place id, never duplicated). */
export class DiscoveredBusinessDto {
  /** Google place id (or the simulated provider's). */
  @IsString()
  @Length(1, 300)
  placeId!: string;

  @IsString()
  @Length(1, 500)
  name!: string;

  /** The discovery category whose search found it first, e.g. `restaurant`. */
  @IsString()
  @Length(1, 100)
  category!: string;

  @IsOptional()
  @IsString()
  @Length(1, 100)
  primaryType?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  types?: string[];

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

  /** Website as Places gives it (an absolute http(s) URL). */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  website?: string;

  @IsOptional()
  @IsString()
  @MaxLength(50)
  phone?: string;

  /** Places rating, 1.0–5.0. */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(5)
  rating?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  userRatingCount?: number;
}

/** Phase 1 found (or found again) these businesses for a community; a batch of up to 500. */
export class BusinessesDiscovered extends DiscoveryEventRef {
  @IsArray()
  @ArrayMaxSize(MAX_BUSINESSES_PER_EVENT)
  @ValidateNested({ each: true })
  @Type(() => DiscoveredBusinessDto)
  businesses!: DiscoveredBusinessDto[];

  @IsISO8601()
  discoveredAt!: string;
}

export const BusinessesDiscoveredEvent = defineEvent(
  'discovery',
  'BusinessesDiscovered',
  BusinessesDiscovered,
  {
    aggregateType: 'Business',
    summary: 'Phase 1: businesses of a community found by Places (batched).',
  },
);
