import { randomUUID } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CancelRampCommand, ScheduleRampCommand, type ScheduleRampReply } from '@rcp/contracts';
import { ServiceRuntime, type CommandSession, type DueTimer } from '@rcp/eventing';
import { rampStepDueAt, rampSteps, type RampState } from '../../domain/flag/flag';
import { decideFlag, runFlagCommand } from './flag-command.runner';

export const RAMP_STEP_TIMER = 'flags.ramp-step';

interface RampStepPayload {
  flag: string;
  rampId: string;
  stepIndex: number;
}

function scheduleStep(session: CommandSession, flag: string, ramp: RampState): Promise<string> {
  const payload: RampStepPayload = { flag, rampId: ramp.rampId, stepIndex: ramp.nextStepIndex };
  const dueAt = rampStepDueAt(ramp, ramp.nextStepIndex);
  return session.schedule({ timerId: randomUUID(), kind: RAMP_STEP_TIMER, dueAt, payload });
}

/**
 * Ramps: `ScheduleRamp` plans the steps and arms a durable timer for the first; each timer applies
 * its step as a command (commandId = timer id, so a refired timer applies once) and arms the next.
 * Timers of a cancelled ramp fire into a no-op: nothing cancels a timer row another
 * transaction may be holding.
 */
@Injectable()
export class RampHandler implements OnModuleInit {
  constructor(private readonly runtime: ServiceRuntime) {}

  onModuleInit(): void {
    this.runtime.bus.register(ScheduleRampCommand, (input) =>
      this.runtime.executor.execute(
        { commandId: input.commandId, name: 'ScheduleRamp', actor: input.actor, payload: input },
        async (session): Promise<ScheduleRampReply> => {
          const rampId = randomUUID();
          const command = { type: 'ScheduleRamp' as const, input, rampId, now: session.now };
          const { state } = await decideFlag(session, input.flag, command);
          const ramp = state.ramp!;
          await scheduleStep(session, input.flag, ramp);
          const steps = rampSteps(ramp).map((percentage, i) => ({
            percentage,
            at: rampStepDueAt(ramp, i).toISOString(),
          }));
          return { rampId, steps };
        },
      ),
    );
    this.runtime.bus.register(CancelRampCommand, (input) =>
      runFlagCommand(this.runtime, 'CancelRamp', input, (now) => ({
        type: 'CancelRamp',
        input,
        now,
      })),
    );
    this.runtime.timers.on(RAMP_STEP_TIMER, (timer) => this.applyStep(timer));
  }

  private async applyStep(timer: DueTimer): Promise<void> {
    const payload = timer.payload as unknown as RampStepPayload;
    await this.runtime.executor.execute(
      { commandId: timer.timerId, name: 'ApplyRampStep', actor: 'schedule', payload },
      async (session) => {
        const command = { type: 'ApplyRampStep' as const, ...payload, now: session.now };
        const { state, events } = await decideFlag(session, payload.flag, command);
        if (events.length > 0 && state.ramp) await scheduleStep(session, payload.flag, state.ramp);
        return { applied: events.length > 0, rolloutPercentage: state.rolloutPercentage };
      },
    );
  }
}
