import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  ValidateNested,
} from 'class-validator';
import { CommandDto, defineCommand } from '../messages';
import { PriceEntryDto } from './price-entry.dto';

/**
 * Adds a price-book version effective from `effectiveFrom`. A usage is priced with the version in
 * effect at its `recordedAt`; an (api, endpoint, sku) missing from a version is priced at 0.
 */
export class PublishPriceBook extends CommandDto {
  @IsISO8601()
  effectiveFrom!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => PriceEntryDto)
  prices!: PriceEntryDto[];

  @IsOptional()
  @IsString()
  @Length(1, 1000)
  note?: string;
}

/** Reply of `cmd.ledger.PublishPriceBook`. */
export interface PublishPriceBookReply {
  priceBookVersion: number;
  effectiveFrom: string;
}

export const PublishPriceBookCommand = defineCommand(
  'ledger',
  'PublishPriceBook',
  PublishPriceBook,
  'Add a price-book version with an effective date.',
);
