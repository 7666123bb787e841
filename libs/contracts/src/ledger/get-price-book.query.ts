import { IsInt, IsISO8601, IsOptional, Min } from 'class-validator';
import { defineQuery, QueryDto } from '../messages';
import type { PriceEntryDto } from './price-entry.dto';

/** A price-book version: by `version`, or the one in effect `at` a time (default now). */
export class GetPriceBook extends QueryDto {
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;

  @IsOptional()
  @IsISO8601()
  at?: string;
}

/** Reply of `qry.ledger.GetPriceBook`. */
export interface PriceBookReply {
  priceBookVersion: number;
  effectiveFrom: string;
  publishedAt: string;
  note: string | null;
  prices: PriceEntryDto[];
}

export const GetPriceBookQuery = defineQuery(
  'ledger',
  'GetPriceBook',
  GetPriceBook,
  'A price-book version, by number or by effective time.',
);
