import { IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';
import { MAX_UNITS_PER_REQUEST, METER_PATTERN, TENANT_ID_PATTERN } from './quota.constants';

function compose(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

/** A tenant id (1–200 characters of `[A-Za-z0-9._:-]`). */
export function TenantIdField(): PropertyDecorator {
  return compose(
    IsString(),
    Length(1, 200),
    Matches(TENANT_ID_PATTERN, { message: 'tenantId must match /^[A-Za-z0-9._:-]+$/' }),
  );
}

/** A meter name (1–100 characters of `[a-z0-9_.-]`). */
export function MeterField(): PropertyDecorator {
  return compose(
    IsString(),
    Length(1, 100),
    Matches(METER_PATTERN, { message: 'meter must match /^[a-z0-9_.-]+$/' }),
  );
}

/** A positive whole number of units. */
export function UnitsField(): PropertyDecorator {
  return compose(IsInt(), Min(1), Max(MAX_UNITS_PER_REQUEST));
}
