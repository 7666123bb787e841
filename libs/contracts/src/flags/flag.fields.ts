import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Length, Matches } from 'class-validator';
import { FLAG_NAME_PATTERN, MAX_SUBJECTS_PER_CHANGE } from './flag.constants';

function compose(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

/** A flag name: 1–100 characters of `[A-Za-z0-9._-]`. */
export function FlagNameField(): PropertyDecorator {
  return compose(
    IsString(),
    Length(1, 100),
    Matches(FLAG_NAME_PATTERN, { message: 'flag must match /^[A-Za-z0-9._-]+$/' }),
  );
}

/** A subject id (a community id, a tenant, a repository…): any string of 1–200 characters. */
export function SubjectIdField(): PropertyDecorator {
  return compose(IsString(), Length(1, 200));
}

/** A non-empty list of at most 1,000 subject ids. */
export function SubjectIdsField(): PropertyDecorator {
  return compose(
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(MAX_SUBJECTS_PER_CHANGE),
    IsString({ each: true }),
    Length(1, 200, { each: true }),
  );
}
