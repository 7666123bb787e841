import { IsISO8601 } from 'class-validator';
import { defineEvent } from '../messages';
import { FlagEventBase } from './flag-event-base.dto';
import { SubjectIdsField } from './flag.fields';

/** A change to one of a flag's subject lists. */
abstract class FlagSubjectsEvent extends FlagEventBase {
  /** Only the subjects the change actually added or removed. */
  @SubjectIdsField()
  subjectIds!: string[];
}

/** Subjects were added to the allow list. */
export class SubjectsAllowed extends FlagSubjectsEvent {
  @IsISO8601() allowedAt!: string;
}

/** Subjects were removed from the allow list. */
export class SubjectsDisallowed extends FlagSubjectsEvent {
  @IsISO8601() disallowedAt!: string;
}

/** Subjects were added to the deny list. */
export class SubjectsDenied extends FlagSubjectsEvent {
  @IsISO8601() deniedAt!: string;
}

/** Subjects were removed from the deny list. */
export class SubjectsUndenied extends FlagSubjectsEvent {
  @IsISO8601() undeniedAt!: string;
}

const aggregateType = 'Flag';

export const SubjectsAllowedEvent = defineEvent('flags', 'SubjectsAllowed', SubjectsAllowed, {
  aggregateType,
  summary: "Subjects were added to a flag's allow list.",
});
export const SubjectsDisallowedEvent = defineEvent(
  'flags',
  'SubjectsDisallowed',
  SubjectsDisallowed,
  {
    aggregateType,
    summary: "Subjects were removed from a flag's allow list.",
  },
);
export const SubjectsDeniedEvent = defineEvent('flags', 'SubjectsDenied', SubjectsDenied, {
  aggregateType,
  summary: "Subjects were added to a flag's deny list.",
});
export const SubjectsUndeniedEvent = defineEvent('flags', 'SubjectsUndenied', SubjectsUndenied, {
  aggregateType,
  summary: "Subjects were removed from a flag's deny list.",
});
