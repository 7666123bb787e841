import type { ErrorDetail } from '@rcp/contracts';

/** Exit codes of `rollout`. */
export const EXIT = {
  ok: 0,
  /** The service refused (an error reply), or a check failed. */
  refused: 1,
  /** Bad arguments. */
  usage: 2,
  /** NATS or the service could not be reached (UNAVAILABLE, TIMEOUT). */
  unavailable: 3,
} as const;

/** A failure the CLI reports as `error <CODE>: message` and an exit code. */
export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: number = EXIT.refused,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super('USAGE', message, EXIT.usage);
    this.name = 'UsageError';
  }
}

const UNREACHABLE = new Set(['UNAVAILABLE', 'TIMEOUT']);

/** The exit code for an error reply's code. */
export function exitCodeOf(code: string): number {
  return UNREACHABLE.has(code) ? EXIT.unavailable : EXIT.refused;
}
