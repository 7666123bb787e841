import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { defineEvent } from '../messages';
import { DiscoveryEventRef } from './discovery-event-ref.dto';

/** Feed formats accepted as news sources. */
export const FEED_FORMATS = ['rss', 'atom'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

/** How a news source is collected. */
export const COLLECTION_METHOD_TYPES = ['rss'] as const;
export type CollectionMethodType = (typeof COLLECTION_METHOD_TYPES)[number];

/** How to collect a news source. */
export class CollectionMethodDto {
  @IsUUID()
  collectionMethodId!: string;

  @IsIn(COLLECTION_METHOD_TYPES)
  type!: CollectionMethodType;

  @IsString()
  @Length(1, 2000)
  url!: string;

  /** Suggested polling interval. */
  @IsOptional()
  @IsInt()
  @Min(1)
  intervalMinutes?: number;
}

/** Phase 3: a valid RSS/Atom feed of a business became a news source with a collection method. */
export class NewsSourceCreated extends DiscoveryEventRef {
  @IsUUID()
  newsSourceId!: string;

  /** The business whose site links the feed. */
  @IsOptional()
  @IsString()
  @Length(1, 300)
  placeId?: string;

  /** The feed's title, or the business name. */
  @IsString()
  @Length(1, 500)
  name!: string;

  @IsString()
  @Length(1, 2000)
  feedUrl!: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  siteUrl?: string;

  @IsIn(FEED_FORMATS)
  feedFormat!: FeedFormat;

  /** Items in the feed when it was checked. */
  @IsInt()
  @Min(0)
  itemCount!: number;

  @ValidateNested()
  @Type(() => CollectionMethodDto)
  collectionMethod!: CollectionMethodDto;

  @IsISO8601()
  createdAt!: string;
}

export const NewsSourceCreatedEvent = defineEvent(
  'discovery',
  'NewsSourceCreated',
  NewsSourceCreated,
  {
    aggregateType: 'NewsSource',
    summary: 'Phase 3: a feed became a news source with an RSS collection method.',
  },
);
