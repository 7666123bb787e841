import { Injectable, type OnModuleInit } from '@nestjs/common';
import { GetPriceBookQuery, type PriceBookPublished, type PriceBookReply } from '@rcp/contracts';
import { NotFoundError } from '@rcp/domain';
import { ServiceRuntime } from '@rcp/eventing';
import { versionInEffect } from '../../domain/price-book/price-book';
import { PriceBookReader } from '../projections/price-book.reader';

const reply = (v: PriceBookPublished): PriceBookReply => ({
  priceBookVersion: v.priceBookVersion,
  effectiveFrom: v.effectiveFrom,
  publishedAt: v.publishedAt,
  note: v.note ?? null,
  prices: v.prices,
});

@Injectable()
export class GetPriceBookHandler implements OnModuleInit {
  private readonly reader = new PriceBookReader();

  constructor(private readonly runtime: ServiceRuntime) {}

  onModuleInit(): void {
    this.runtime.bus.register(GetPriceBookQuery, async (query) => {
      const versions = await this.reader.load(this.runtime.db);
      const found = query.version
        ? versions.find((v) => v.priceBookVersion === query.version)
        : versionInEffect(versions, query.at ?? new Date().toISOString());
      if (!found)
        throw new NotFoundError('no such price-book version', [
          {
            field: query.version ? 'version' : 'at',
            message: 'no version',
            value: query.version ?? query.at,
          },
        ]);
      return reply(found);
    });
  }
}
