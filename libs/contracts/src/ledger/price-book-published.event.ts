import { Type } from 'class-transformer';
import {
  IsArray,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Min,
  ValidateNested,
} from 'class-validator';
import { defineEvent } from '../messages';
import { PriceEntryDto } from './price-entry.dto';

/** A price-book version was added. */
export class PriceBookPublished {
  /** 1, 2, 3, … */
  @IsInt()
  @Min(1)
  priceBookVersion!: number;

  @IsISO8601()
  effectiveFrom!: string;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => PriceEntryDto)
  prices!: PriceEntryDto[];

  @IsOptional()
  @IsString()
  @Length(1, 1000)
  note?: string;

  @IsISO8601()
  publishedAt!: string;
}

export const PriceBookPublishedEvent = defineEvent(
  'ledger',
  'PriceBookPublished',
  PriceBookPublished,
  {
    aggregateType: 'PriceBook',
    summary: 'A price-book version was added.',
  },
);
