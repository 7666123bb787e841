import { parseArgs } from 'node:util';
import { CliContext, defaultActor, defaultNatsUrl } from './cli-context';
import { CliError, EXIT, UsageError } from './cli-errors';
import {
  commandHelp,
  GLOBAL_OPTIONS,
  type CommandSpec,
  type OptionSpec,
  type OptionValues,
} from './command-spec';
import { COMMANDS } from './commands';

/** The top-level `rollout --help`. */
export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => `${c.name} ${c.args ?? ''}`.length));
  return [
    'rollout: operate the Rollout Control Plane over NATS (the public cmd./qry./events. subjects).',
    '',
    'Usage: rollout <command> [args] [options]     rollout <command> --help',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${`${c.name} ${c.args ?? ''}`.padEnd(width)}  ${c.summary}`),
    '',
    `Every command takes --json, --help, --nats <url> (default ${defaultNatsUrl()}), --timeout <ms>, --actor <name>.`,
    'Exit codes: 0 ok, 1 refused (error reply or failed check; the code is printed), 2 usage, 3 NATS or service unreachable.',
  ].join('\n');
}

function findCommand(argv: string[]): { spec: CommandSpec; rest: string[] } | undefined {
  const two = COMMANDS.find((c) => c.name === `${argv[0]} ${argv[1]}`);
  if (two) return { spec: two, rest: argv.slice(2) };
  const one = COMMANDS.find((c) => c.name === argv[0]);
  return one ? { spec: one, rest: argv.slice(1) } : undefined;
}

function parse(spec: CommandSpec, rest: string[]) {
  const all: Record<string, OptionSpec> = { ...spec.options, ...GLOBAL_OPTIONS };
  const options = Object.fromEntries(
    Object.entries(all).map(([name, o]) => [
      name,
      {
        type: o.type,
        ...(o.short ? { short: o.short } : {}),
        ...(o.multiple ? { multiple: true } : {}),
      },
    ]),
  );
  try {
    return parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (see rollout ${spec.name} --help)`);
  }
}

function contextFor(values: Record<string, unknown>): CliContext {
  const timeout = Number(values.timeout ?? 10_000);
  if (!Number.isFinite(timeout) || timeout <= 0)
    throw new UsageError('--timeout must be a positive number of ms');
  return new CliContext({
    json: Boolean(values.json),
    nats: (values.nats as string | undefined) ?? defaultNatsUrl(),
    timeoutMs: timeout,
    actor: (values.actor as string | undefined) ?? defaultActor(),
  });
}

function report(
  error: unknown,
  json: boolean,
  out: (t: string) => void,
  err: (t: string) => void,
): number {
  const e =
    error instanceof CliError
      ? error
      : new CliError('INTERNAL', (error as Error).message ?? String(error));
  if (json)
    out(
      JSON.stringify({
        ok: false,
        error: { code: e.code, message: e.message, details: e.details },
      }),
    );
  err(`error ${e.code}: ${e.message}`);
  for (const d of e.details) err(`  ${d.field ? `${d.field}: ` : ''}${d.message}`);
  return e.exitCode;
}

/** Runs one `rollout` invocation; resolves to the exit code. */
export async function runCli(
  argv: string[],
  out = (t: string) => process.stdout.write(`${t}\n`),
  err = (t: string) => process.stderr.write(`${t}\n`),
): Promise<number> {
  const json = argv.includes('--json');
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    out(mainHelp());
    return EXIT.ok;
  }
  let ctx: CliContext | undefined;
  try {
    const found = findCommand(argv);
    if (!found)
      throw new UsageError(`unknown command "${argv.slice(0, 2).join(' ')}"; see rollout --help`);
    const { values, positionals } = parse(found.spec, found.rest);
    if (values.help) {
      out(commandHelp(found.spec));
      return EXIT.ok;
    }
    if (positionals.length < (found.spec.required ?? 0))
      throw new UsageError(
        `missing arguments: rollout ${found.spec.name} ${found.spec.args ?? ''}`,
      );
    ctx = contextFor(values);
    const code = await found.spec.run(ctx, positionals, values as OptionValues);
    return typeof code === 'number' ? code : EXIT.ok;
  } catch (error) {
    return report(error, json, out, err);
  } finally {
    await ctx?.close();
  }
}
