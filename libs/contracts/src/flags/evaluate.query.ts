import { IsObject, IsOptional } from 'class-validator';
import { defineQuery, QueryDto } from '../messages';
import type { EvaluationReason } from './flag.constants';
import { FlagNameField, SubjectIdField } from './flag.fields';

/** Subject attributes used by the category strategy (e.g. `population`, `category`). */
export type SubjectAttributes = Record<string, string | number | boolean | null>;

/** Is `flag` on for `subjectId`? */
export class Evaluate extends QueryDto {
  @FlagNameField()
  flag!: string;

  @SubjectIdField()
  subjectId!: string;

  /**
   * Attributes the category strategy derives a category from; `category` may name one of
   * SUBJECT_CATEGORIES directly.
   */
  @IsOptional()
  @IsObject()
  attributes?: SubjectAttributes;
}

/** Reply of `qry.flags.Evaluate`. */
export interface EvaluateReply {
  enabled: boolean;
  reason: EvaluationReason;
  rolloutPercentage: number;
  /** 1–100, Unleash-compatible: murmur3_x86_32("<groupId>:<subjectId>", 0) % 100 + 1. */
  bucket?: number;
  /** The flag's aggregate version the answer was computed from. */
  configVersion: number;
}

export const EvaluateQuery = defineQuery(
  'flags',
  'Evaluate',
  Evaluate,
  'Evaluate a flag for one subject.',
);
