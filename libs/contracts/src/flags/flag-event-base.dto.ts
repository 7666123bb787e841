import { IsOptional, IsString, Length } from 'class-validator';
import { FlagNameField } from './flag.fields';

/** Fields every flag event carries. The aggregate id of a flag is its name. */
export abstract class FlagEventBase {
  @FlagNameField()
  flag!: string;

  /** Why, as given by the actor or the rule that fired. */
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  reason?: string;
}
