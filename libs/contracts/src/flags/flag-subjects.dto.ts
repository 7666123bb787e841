import { defineCommand } from '../messages';
import { FlagCommand } from './flag-commands.dto';
import { SubjectIdsField } from './flag.fields';

/** A command that changes one of a flag's subject lists. */
export abstract class FlagSubjectsCommand extends FlagCommand {
  @SubjectIdsField()
  subjectIds!: string[];
}

/** Adds subjects to the allow list (enabled whatever the strategy, unless denied). */
export class AllowSubjects extends FlagSubjectsCommand {}
/** Removes subjects from the allow list. */
export class DisallowSubjects extends FlagSubjectsCommand {}
/** Adds subjects to the deny list (never enabled; beats the allow list). */
export class DenySubjects extends FlagSubjectsCommand {}
/** Removes subjects from the deny list. */
export class UndenySubjects extends FlagSubjectsCommand {}

export const AllowSubjectsCommand = defineCommand(
  'flags',
  'AllowSubjects',
  AllowSubjects,
  'Add subjects to a flag’s allow list.',
);
export const DisallowSubjectsCommand = defineCommand(
  'flags',
  'DisallowSubjects',
  DisallowSubjects,
  'Remove subjects from a flag’s allow list.',
);
export const DenySubjectsCommand = defineCommand(
  'flags',
  'DenySubjects',
  DenySubjects,
  'Add subjects to a flag’s deny list.',
);
export const UndenySubjectsCommand = defineCommand(
  'flags',
  'UndenySubjects',
  UndenySubjects,
  'Remove subjects from a flag’s deny list.',
);
