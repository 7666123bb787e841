import { Injectable, type OnModuleInit } from '@nestjs/common';
import {
  PublishPriceBookCommand,
  type PriceEntryDto,
  type PublishPriceBookReply,
} from '@rcp/contracts';
import { ServiceRuntime } from '@rcp/eventing';
import { priceBookDecider, type PriceBookCommand } from '../../domain/price-book/price-book.decide';
import { PRICE_BOOK_LOCK, PRICE_BOOK_STREAM } from '../projections/price-book.reader';

export interface PriceBookInput {
  commandId: string;
  actor: string;
  effectiveFrom: string;
  prices: PriceEntryDto[];
  note?: string;
}

/** Publishes a version under the exclusive price-book lock, after the latest priced usage. */
export async function publishPriceBook(
  runtime: ServiceRuntime,
  input: PriceBookInput,
  type: PriceBookCommand['type'] = 'PublishPriceBook',
): Promise<PublishPriceBookReply | null> {
  return runtime.executor.execute(
    { commandId: input.commandId, name: type, actor: input.actor, payload: input },
    async (session) => {
      await session.tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [PRICE_BOOK_LOCK]);
      const [mark] = await session.tx.query<{ at: Date }>(
        'SELECT last_recorded_at AS at FROM pricing_watermark WHERE id = 1',
      );
      const { events } = await session.decide(
        PRICE_BOOK_STREAM,
        priceBookDecider,
        { ...input, type, now: session.now, lastPricedAt: mark?.at.toISOString() ?? null },
        () => null,
      );
      const data = events[0]?.data as
        { priceBookVersion: number; effectiveFrom: string } | undefined;
      return data
        ? { priceBookVersion: data.priceBookVersion, effectiveFrom: data.effectiveFrom }
        : null;
    },
  );
}

@Injectable()
export class PublishPriceBookHandler implements OnModuleInit {
  constructor(private readonly runtime: ServiceRuntime) {}

  onModuleInit(): void {
    this.runtime.bus.register(PublishPriceBookCommand, (command) =>
      publishPriceBook(this.runtime, command),
    );
  }
}
