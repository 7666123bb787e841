import type { PriceBookPublished, PriceEntryDto } from '@rcp/contracts';
import { fold } from '@rcp/domain';
import { formatMicros } from '../money/money';
import { priceInOrder } from '../pricing/price-usage';
import { priceBookDecider, type PriceBookCommand } from './price-book.decide';
import type { PriceBookEvent } from './price-book';

const textSearch = (unitCost: string, freeMonthlyUnits?: number): PriceEntryDto => ({
  apiName: 'google_places',
  endpoint: 'text_search',
  skuTier: 'essentials',
  unitCost,
  freeMonthlyUnits,
});
const now = new Date('2026-03-01T00:00:00Z');
const given = (...events: PriceBookEvent[]) => fold(priceBookDecider, events);
const when = (command: Partial<PriceBookCommand>, events: PriceBookEvent[] = []) =>
  priceBookDecider.decide(
    {
      type: 'PublishPriceBook',
      effectiveFrom: '2026-03-01T00:00:00Z',
      prices: [textSearch('0.005')],
      now,
      lastPricedAt: null,
      ...command,
    } as PriceBookCommand,
    given(...events),
  );
const published = (version: number, effectiveFrom: string, prices: PriceEntryDto[]) =>
  ({
    type: 'PriceBookPublished',
    data: { priceBookVersion: version, effectiveFrom, prices, publishedAt: now.toISOString() },
  }) as PriceBookEvent;

describe('price book decider', () => {
  it('publishes version 1, then version 2', () => {
    const [first] = when({});
    expect(first.data).toMatchObject({
      priceBookVersion: 1,
      effectiveFrom: '2026-03-01T00:00:00.000Z',
    });
    const [second] = when({ effectiveFrom: '2026-04-01T00:00:00Z' }, [first]);
    expect(second.data.priceBookVersion).toBe(2);
  });

  it('refuses a price given twice for the same api, endpoint and sku', () => {
    expect(() => when({ prices: [textSearch('0.005'), textSearch('0.006')] })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });

  it('refuses a version that would take effect before a usage already priced', () => {
    expect(() =>
      when({ effectiveFrom: '2026-03-01T00:00:00Z', lastPricedAt: '2026-03-02T00:00:00Z' }),
    ).toThrow(expect.objectContaining({ code: 'PRICE_BOOK_BACKDATED' }));
  });

  it('publishes the default book only while there is none', () => {
    const [first] = when({ type: 'PublishDefaultPriceBook' });
    expect(first).toBeDefined();
    expect(when({ type: 'PublishDefaultPriceBook' }, [first])).toEqual([]);
  });
});

describe('pricing', () => {
  const versions: PriceBookPublished[] = [
    published(1, '2026-01-01T00:00:00Z', [textSearch('0.005', 2)]).data,
    published(2, '2026-02-15T00:00:00Z', [textSearch('0.007', 2)]).data,
  ] as PriceBookPublished[];
  const usage = (recordedAt: string, requestCount = 1) => ({
    apiName: 'google_places' as const,
    endpoint: 'text_search' as const,
    skuTier: 'essentials' as const,
    requestCount,
    recordedAt,
  });

  it('prices with the version in effect at the usage time', () => {
    const { priced } = priceInOrder(
      [usage('2026-02-14T23:59:59Z', 5), usage('2026-02-15T00:00:00Z', 5)],
      versions,
      new Map([['google_places/text_search/essentials/2026-02', 100]]),
    );
    expect(priced.map((p) => [p.priceBookVersion, formatMicros(p.pricedCost)])).toEqual([
      [1, '0.025'],
      [2, '0.035'],
    ]);
  });

  it('gives the first free units of each calendar month for nothing', () => {
    const { priced, counters } = priceInOrder(
      [
        usage('2026-01-10T00:00:00Z', 3),
        usage('2026-01-31T23:00:00Z'),
        usage('2026-02-01T00:00:00Z'),
      ],
      versions,
      new Map(),
    );
    expect(priced.map((p) => [p.freeUnits, formatMicros(p.pricedCost)])).toEqual([
      [2, '0.005'],
      [0, '0.005'],
      [1, '0.00'],
    ]);
    expect(counters.get('google_places/text_search/essentials/2026-01')).toBe(4);
  });

  it('prices at 0 with no version before the first one takes effect', () => {
    const { priced } = priceInOrder([usage('2025-12-31T00:00:00Z')], versions, new Map());
    expect(priced[0]).toMatchObject({ priceBookVersion: null, pricedCost: 0n });
  });
});
