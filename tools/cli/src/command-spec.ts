import type { CliContext } from './cli-context';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** The value's placeholder in help, e.g. `<ms>`. */
  value?: string;
  description: string;
}

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

/** One `rollout` command (or subcommand, e.g. `flags set`). */
export interface CommandSpec {
  /** `start`, `flags set`, … */
  name: string;
  /** Positional arguments in help, e.g. `<STATE>`. */
  args?: string;
  /** How many positionals are required. */
  required?: number;
  summary: string;
  options?: Record<string, OptionSpec>;
  examples?: string[];
  run(ctx: CliContext, positionals: string[], values: OptionValues): Promise<number | void>;
}

/** Options every command takes. */
export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  json: { type: 'boolean', description: 'machine-readable JSON output' },
  help: { type: 'boolean', short: 'h', description: 'show help' },
  nats: {
    type: 'string',
    value: '<url>',
    description: 'NATS server(s) (default $NATS_URL or the launcher’s nats://127.0.0.1:14222)',
  },
  timeout: { type: 'string', value: '<ms>', description: 'reply timeout (default 10000)' },
  actor: {
    type: 'string',
    value: '<name>',
    description: 'who acts (default $ROLLOUT_ACTOR or cli:<user>)',
  },
};

function optionLine(name: string, spec: OptionSpec): string {
  const flag = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.value ? ` ${spec.value}` : ''}`;
  return `  ${flag.padEnd(30)} ${spec.description}`;
}

/** The `--help` text of one command. */
export function commandHelp(spec: CommandSpec): string {
  const lines = [
    `rollout ${spec.name}${spec.args ? ` ${spec.args}` : ''} [options]`,
    '',
    spec.summary,
    '',
    'Options:',
    ...Object.entries(spec.options ?? {}).map(([n, o]) => optionLine(n, o)),
    ...Object.entries(GLOBAL_OPTIONS).map(([n, o]) => optionLine(n, o)),
  ];
  if (spec.examples?.length) lines.push('', 'Examples:', ...spec.examples.map((e) => `  ${e}`));
  return lines.join('\n');
}

export const str = (v: OptionValues[string]): string | undefined =>
  typeof v === 'string' ? v : undefined;
