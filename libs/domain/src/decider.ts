/** An event as a decider sees it: a type and its data. */
export interface DomainEvent<TType extends string = string, TData extends object = object> {
  type: TType;
  data: TData;
}

/**
 * The Decider: pure functions over one aggregate. `decide` throws a DomainError to refuse;
 * time and outside facts come in on the command.
 */
export interface Decider<TCommand, TEvent extends DomainEvent, TState> {
  initialState: TState;
  evolve(state: TState, event: TEvent): TState;
  decide(command: TCommand, state: TState): TEvent[];
}

/** Folds events into a state. */
export function fold<TEvent extends DomainEvent, TState>(
  decider: Pick<Decider<unknown, TEvent, TState>, 'initialState' | 'evolve'>,
  events: readonly TEvent[],
): TState {
  return events.reduce(decider.evolve, decider.initialState);
}

/** Exhaustiveness check for switches on `type`. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
