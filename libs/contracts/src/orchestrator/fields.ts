import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length } from 'class-validator';
import { US_STATE_CODES } from '../us-states';
import { PHASES } from './rollout-statuses';

const STATE_CODE_MESSAGE = 'stateCode must be one of the 50 US states or DC';

function compose(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

/**
 * A state code on input (commands, queries): trimmed, upper-cased, then one of the 50 states or DC.
 * Same rule as `StartStateRollout.stateCode`.
 */
export function StateCodeInput(): PropertyDecorator {
  return compose(
    Transform(({ value }) =>
      typeof value === 'string' ? value.trim().toUpperCase() : value,
    ) as PropertyDecorator,
    IsIn(US_STATE_CODES, { message: STATE_CODE_MESSAGE }),
  );
}

/** A state code in an event: already upper case, one of the 50 states or DC. */
export function StateCodeField(): PropertyDecorator {
  return IsIn(US_STATE_CODES, { message: STATE_CODE_MESSAGE });
}

/** A phase number, 1 to 6. */
export function PhaseField(): PropertyDecorator {
  return compose(IsInt(), IsIn(PHASES, { message: 'phase must be an integer from 1 to 6' }));
}

/** An optional sentence for people saying why (kept in history and logs). */
export function OptionalReason(): PropertyDecorator {
  return compose(IsOptional(), IsString(), Length(1, 1000));
}
