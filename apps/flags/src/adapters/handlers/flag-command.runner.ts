import type { CommandDto, FlagView } from '@rcp/contracts';
import type { ServiceRuntime } from '@rcp/eventing';
import type { CommandSession } from '@rcp/eventing';
import { flagDecider } from '../../domain/flag/flag.decide';
import type { FlagState } from '../../domain/flag/flag';
import type { FlagCommand } from '../../domain/flag/flag.commands';
import { flagViewOf } from '../../domain/flag/flag.view';

/** Flag events belong to no state: their subjects end in `_`. */
export const NO_STATE = () => null;

export const flagRef = (flag: string) => ({ aggregateType: 'Flag', aggregateId: flag });

/** Decides a Flag command in the session; returns the new state and the events appended. */
export function decideFlag(session: CommandSession, flag: string, command: FlagCommand) {
  return session.decide(flagRef(flag), flagDecider, command, NO_STATE);
}

/**
 * Runs a flag command exactly once per commandId and replies with the flag's view.
 * `build` turns the validated payload into the domain command at the session's clock.
 */
export function runFlagCommand<T extends CommandDto & { flag: string }>(
  runtime: ServiceRuntime,
  name: string,
  payload: T,
  build: (now: Date) => FlagCommand,
): Promise<FlagView> {
  return runtime.executor.execute(
    { commandId: payload.commandId, name, actor: payload.actor, payload },
    async (session) => {
      const { state } = await decideFlag(session, payload.flag, build(session.now));
      return flagViewOf(state as FlagState, session.now);
    },
  );
}
