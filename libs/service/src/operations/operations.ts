import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { REBUILD_COMMANDS, VERIFY_QUERIES, type RebuildProjectionsReply } from '@rcp/contracts';
import { NotFoundError } from '@rcp/domain';
import { rebuildInlineProjection, rebuildProjection, ServiceRuntime } from '@rcp/eventing';
import { runVerify, type VerifyCheckFn } from './verify-checks';

/**
 * Checks a service adds to `qry.<service>.Verify`. Inject it and call `add` from a provider's
 * constructor or `onModuleInit`.
 */
@Injectable()
export class VerifyChecks {
  private readonly checks: VerifyCheckFn[] = [];

  add(check: VerifyCheckFn): void {
    this.checks.push(check);
  }

  list(): readonly VerifyCheckFn[] {
    return this.checks;
  }
}

/** Serves `cmd.<service>.RebuildProjections` and `qry.<service>.Verify` for every service. */
@Injectable()
export class OperationsHandlers implements OnModuleInit {
  constructor(
    @Inject(ServiceRuntime) private readonly runtime: ServiceRuntime,
    @Inject(VerifyChecks) private readonly extraChecks: VerifyChecks,
  ) {}

  onModuleInit(): void {
    const { service } = this.runtime.options;
    this.runtime.bus.register(REBUILD_COMMANDS[service], (c) => this.rebuild(c.projection));
    this.runtime.bus.register(VERIFY_QUERIES[service], async () => {
      const checks = await runVerify(this.runtime, this.extraChecks.list());
      const failed = checks.filter((c) => !c.ok).map((c) => c.name);
      this.runtime.logger.info('verify', { ok: failed.length === 0, failed });
      return { service, ok: failed.length === 0, checks };
    });
  }

  private async rebuild(only?: string): Promise<RebuildProjectionsReply> {
    const started = Date.now();
    const { runtime } = this;
    const inline = (runtime.options.inlineProjections ?? []).filter(
      (p) => !only || p.name === only,
    );
    const consumers = runtime.consumers.filter((c) => !only || c.projection.name === only);
    if (inline.length + consumers.length === 0)
      throw new NotFoundError(`${runtime.options.service} has no projection named ${only}`);
    for (const projection of inline)
      await rebuildInlineProjection(runtime.db, runtime.store, projection);
    for (const consumer of consumers) await rebuildProjection(runtime.db, runtime.nc, consumer);
    runtime.logger.info('projections rebuilt', { projections: consumers.map((c) => c.durable) });
    return {
      service: runtime.options.service,
      rebuilt: [...inline.map((p) => p.name), ...consumers.map((c) => c.projection.name)],
      durationMs: Date.now() - started,
    };
  }
}
