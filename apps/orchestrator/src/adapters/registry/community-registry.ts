import {
  CommunityImportRow,
  MAX_COMMUNITIES_PER_IMPORT_EVENT,
  type CommunityImportRowError,
  type ImportCommunitiesReply,
  type ImportedCommunityDto,
} from '@rcp/contracts';
import { ValidationError } from '@rcp/domain';
import type { CommandSession } from '@rcp/eventing';
import { validatePayload } from '@rcp/messaging';
import { communityIdOf } from '../../domain/registry/community-id';

type Existing = {
  id: string;
  name: string;
  county: string | null;
  latitude: number | null;
  longitude: number | null;
  population: number | null;
};

const same = (a: Existing, b: ImportedCommunityDto) =>
  a.name === b.name &&
  a.county === (b.county ?? null) &&
  a.latitude === (b.latitude ?? null) &&
  a.longitude === (b.longitude ?? null) &&
  a.population === (b.population ?? null);

/**
 * Adds or updates communities: every row is validated on its own (a bad row is reported, the rest
 * import), ids come from source + external id so a re-import updates, and only new or changed
 * communities become `CommunitiesImported` events (at most 1,000 per event, one state each).
 */
export class CommunityRegistry {
  async import(
    session: CommandSession,
    rows: Record<string, unknown>[],
    source: string,
  ): Promise<ImportCommunitiesReply> {
    const { valid, errors } = await this.validate(rows);
    const reply: ImportCommunitiesReply = {
      imported: 0,
      updated: 0,
      unchanged: 0,
      rejected: errors.length === 0 ? 0 : new Set(errors.map((e) => e.row)).size,
      errors,
    };
    for (const [stateCode, communities] of this.byState(valid, source)) {
      const changed = await this.changed(session, stateCode, communities, reply);
      await this.append(session, stateCode, source, changed);
    }
    return reply;
  }

  private async validate(rows: Record<string, unknown>[]) {
    const valid: CommunityImportRow[] = [];
    const errors: CommunityImportRowError[] = [];
    for (const [i, row] of rows.entries()) {
      try {
        valid.push(await validatePayload(CommunityImportRow, row));
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        errors.push(
          ...error.details.map((d) => ({ row: i + 1, field: d.field, message: d.message })),
        );
      }
    }
    return { valid, errors };
  }

  private byState(
    rows: CommunityImportRow[],
    source: string,
  ): Map<string, Map<string, ImportedCommunityDto>> {
    const states = new Map<string, Map<string, ImportedCommunityDto>>();
    for (const r of rows) {
      const communityId = communityIdOf(source, r.stateCode, r.name, r.externalId);
      const community = {
        communityId,
        name: r.name,
        county: r.county ?? null,
        latitude: r.latitude ?? null,
        longitude: r.longitude ?? null,
        population: r.population ?? null,
        externalId: r.externalId ?? null,
      };
      const state = states.get(r.stateCode) ?? new Map<string, ImportedCommunityDto>();
      state.set(communityId, community);
      states.set(r.stateCode, state);
    }
    return states;
  }

  private async changed(
    session: CommandSession,
    stateCode: string,
    communities: Map<string, ImportedCommunityDto>,
    reply: ImportCommunitiesReply,
  ) {
    await session.tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`registry:${stateCode}`]);
    const existing = await session.tx.query<Existing>(
      'SELECT id, name, county, latitude, longitude, population FROM communities WHERE id = ANY($1::uuid[])',
      [[...communities.keys()]],
    );
    const byId = new Map(existing.map((e) => [e.id, e]));
    const changed: ImportedCommunityDto[] = [];
    for (const c of communities.values()) {
      const before = byId.get(c.communityId);
      if (before && same(before, c)) reply.unchanged += 1;
      else {
        if (before) reply.updated += 1;
        else reply.imported += 1;
        changed.push(c);
      }
    }
    return changed;
  }

  private async append(
    session: CommandSession,
    stateCode: string,
    source: string,
    communities: ImportedCommunityDto[],
  ) {
    if (communities.length === 0) return;
    const ref = { aggregateType: 'CommunityRegistry', aggregateId: stateCode };
    const events = [];
    for (let i = 0; i < communities.length; i += MAX_COMMUNITIES_PER_IMPORT_EVENT) {
      const data = {
        stateCode,
        source,
        communities: communities.slice(i, i + MAX_COMMUNITIES_PER_IMPORT_EVENT),
        importedAt: session.now.toISOString(),
      };
      events.push({ type: 'CommunitiesImported', data, stateCode });
    }
    await session.append(ref, await session.version(ref), events);
  }
}
