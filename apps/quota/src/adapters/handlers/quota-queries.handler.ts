import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import {
  GetJobQuery,
  GetQuotaQuery,
  ListJobsQuery,
  QUOTA_DEFAULTS,
  QUOTA_ERROR_CODES,
  type JobView,
  type ListJobsReply,
  type QuotaReply,
  type QuotaTier,
} from '@rcp/contracts';
import { DomainError, NotFoundError } from '@rcp/domain';
import { ServiceRuntime } from '@rcp/eventing';
import { resolveLimit } from '../../domain/quota-account/quota-limits';
import { monthOf, resetsAt } from '../../domain/quota-account/quota-month';
import { QUOTA_CONTEXT, type QuotaContext } from '../quota-context';
import { JOB_COLUMNS, toJobView, type JobRow } from './job-view';

/** qry.quota.{GetQuota, GetJob, ListJobs}, from the projections. */
@Injectable()
export class QuotaQueriesHandler implements OnModuleInit {
  constructor(
    private readonly runtime: ServiceRuntime,
    @Inject(QUOTA_CONTEXT) private readonly quota: QuotaContext,
  ) {}

  onModuleInit() {
    const { bus } = this.runtime;
    bus.register(GetQuotaQuery, (q) => this.getQuota(q.tenantId, q.meter, q.month));
    bus.register(GetJobQuery, (q) => this.getJob(q.jobId));
    bus.register(ListJobsQuery, (q) =>
      this.listJobs(q.tenantId, q.status, q.limit ?? 100, q.offset ?? 0),
    );
  }

  private async getQuota(tenantId: string, meter: string, month?: string): Promise<QuotaReply> {
    const wanted = month ?? monthOf(this.quota.clock());
    const [row] = await this.runtime.db.query<{
      tier: QuotaTier | null;
      explicit_limit: number | null;
      count: number | null;
      reserved: number | null;
    }>(
      `SELECT t.tier, l.quota_limit AS explicit_limit, u.count, u.reserved
         FROM (SELECT $1::text AS tenant_id, $2::text AS meter, $3::text AS month) k
         LEFT JOIN quota_tenants t ON t.tenant_id = k.tenant_id
         LEFT JOIN quota_limits l ON l.tenant_id = k.tenant_id AND l.meter = k.meter
         LEFT JOIN quota_usage u ON u.tenant_id = k.tenant_id AND u.meter = k.meter AND u.month = k.month`,
      [tenantId, meter, wanted],
    );
    const tier = row.tier ?? QUOTA_DEFAULTS.tier;
    const limit = resolveLimit(meter, tier, row.explicit_limit, this.quota.config.limits);
    if (limit === undefined)
      throw new DomainError(
        QUOTA_ERROR_CODES.METER_NOT_CONFIGURED,
        `meter ${meter} has no limit for tier ${tier}`,
        [{ field: 'meter', message: 'no limit configured', value: meter }],
      );
    const used = row.count ?? 0;
    const reserved = row.reserved ?? 0;
    const remaining = Math.max(0, limit - used - reserved);
    return {
      tenantId,
      meter,
      month: wanted,
      limit,
      used,
      reserved,
      remaining,
      tier,
      resetsAt: resetsAt(wanted).toISOString(),
    };
  }

  private async getJob(jobId: string): Promise<JobView> {
    const [row] = await this.runtime.db.query<JobRow>(
      `SELECT ${JOB_COLUMNS} FROM jobs WHERE id = $1`,
      [jobId],
    );
    if (!row)
      throw new NotFoundError(`job ${jobId} does not exist`, [
        { field: 'jobId', message: 'no such job', value: jobId },
      ]);
    return toJobView(row);
  }

  private async listJobs(
    tenantId: string,
    status: string | undefined,
    limit: number,
    offset: number,
  ): Promise<ListJobsReply> {
    const where = 'tenant_id = $1 AND ($2::text IS NULL OR status = $2)';
    const rows = await this.runtime.db.query<JobRow>(
      `SELECT ${JOB_COLUMNS} FROM jobs WHERE ${where} ORDER BY requested_at DESC, id LIMIT $3 OFFSET $4`,
      [tenantId, status ?? null, limit, offset],
    );
    const [{ total }] = await this.runtime.db.query<{ total: number }>(
      `SELECT count(*)::int AS total FROM jobs WHERE ${where}`,
      [tenantId, status ?? null],
    );
    return { items: rows.map(toJobView), total };
  }
}
