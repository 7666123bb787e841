import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { defineEvent } from '../messages';
import { DiscoveryEventRef } from './discovery-event-ref.dto';

/** How a website scan ended. */
export const SCAN_OUTCOMES = [
  'ok',
  'http_error',
  'timeout',
  'too_large',
  'redirect_loop',
  'robots_disallowed',
  'network_error',
  'invalid_url',
] as const;
export type ScanOutcome = (typeof SCAN_OUTCOMES)[number];

/** Phase 2: one business website was fetched over HTTP (politely) and read. */
export class WebsiteScanned extends DiscoveryEventRef {
  @IsString()
  @Length(1, 300)
  placeId!: string;

  @IsString()
  @Length(1, 2000)
  url!: string;

  /** After redirects. */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  finalUrl?: string;

  @IsIn(SCAN_OUTCOMES)
  outcome!: ScanOutcome;

  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(599)
  httpStatus?: number;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  title?: string;

  /** Absolute URLs of RSS/Atom feeds the page links to. */
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(2000, { each: true })
  feedUrls!: string[];

  /** CMS hints, e.g. `wordpress`, `squarespace`. */
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  cmsHints!: string[];

  /** Bytes read (capped). */
  @IsOptional()
  @IsInt()
  @Min(0)
  bytes?: number;

  @IsInt()
  @Min(0)
  durationMs!: number;

  /** Detail for failures. */
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  error?: string;

  @IsISO8601()
  scannedAt!: string;
}

export const WebsiteScannedEvent = defineEvent('discovery', 'WebsiteScanned', WebsiteScanned, {
  aggregateType: 'Business',
  summary: 'Phase 2: a business website was scanned.',
});
