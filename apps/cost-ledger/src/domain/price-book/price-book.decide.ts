import { LEDGER_ERROR_CODES, type PriceEntryDto } from '@rcp/contracts';
import { assertNever, DomainError, ValidationError, type Decider } from '@rcp/domain';
import { toMicros } from '../money/money';
import {
  evolvePriceBook,
  initialPriceBookState,
  priceKey,
  type PriceBookEvent,
  type PriceBookState,
} from './price-book';

export interface PublishPriceBookCommand {
  type: 'PublishPriceBook';
  effectiveFrom: string;
  prices: PriceEntryDto[];
  note?: string;
  now: Date;
  /** The latest `recordedAt` the ledger has priced; a new version must take effect after it. */
  lastPricedAt: string | null;
}

/** Publishes the configured book at first start only. */
export interface PublishDefaultPriceBookCommand extends Omit<PublishPriceBookCommand, 'type'> {
  type: 'PublishDefaultPriceBook';
}

export type PriceBookCommand = PublishPriceBookCommand | PublishDefaultPriceBookCommand;

function checkPrices(prices: PriceEntryDto[]): void {
  const seen = new Set<string>();
  prices.forEach((entry, i) => {
    toMicros(entry.unitCost, `prices[${i}].unitCost`);
    const key = priceKey(entry);
    if (seen.has(key))
      throw new ValidationError(`the price of ${key} is given twice`, [
        { field: `prices[${i}]`, constraint: 'unique', message: `${key} repeats`, value: key },
      ]);
    seen.add(key);
  });
}

function publish(command: Omit<PublishPriceBookCommand, 'type'>, state: PriceBookState) {
  checkPrices(command.prices);
  const effective = Date.parse(command.effectiveFrom);
  if (command.lastPricedAt && effective <= Date.parse(command.lastPricedAt))
    throw new DomainError(
      LEDGER_ERROR_CODES.PRICE_BOOK_BACKDATED,
      `effectiveFrom must be after ${command.lastPricedAt}, the latest usage already priced`,
      [{ field: 'effectiveFrom', message: 'backdated', value: command.effectiveFrom }],
    );
  const event: PriceBookEvent = {
    type: 'PriceBookPublished',
    data: {
      priceBookVersion: state.versions.length + 1,
      effectiveFrom: new Date(effective).toISOString(),
      prices: command.prices.map((p) => ({ ...p })),
      ...(command.note ? { note: command.note } : {}),
      publishedAt: command.now.toISOString(),
    },
  };
  return [event];
}

export function decidePriceBook(
  command: PriceBookCommand,
  state: PriceBookState,
): PriceBookEvent[] {
  switch (command.type) {
    case 'PublishPriceBook':
      return publish(command, state);
    case 'PublishDefaultPriceBook':
      return state.versions.length > 0 ? [] : publish(command, state);
    default:
      return assertNever(command);
  }
}

export const priceBookDecider: Decider<PriceBookCommand, PriceBookEvent, PriceBookState> = {
  initialState: initialPriceBookState,
  evolve: evolvePriceBook,
  decide: decidePriceBook,
};
