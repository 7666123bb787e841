import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CATALOG, findCommandOrQuery, findEvent } from './catalog';
import { eventSubject } from './subjects';
import { SERVICES } from './services';

const commandsAndQueries = CATALOG.flatMap((d) => (d.kind === 'event' ? [] : [d]));
const events = CATALOG.flatMap((d) => (d.kind === 'event' ? [d] : []));

/** Alerts named by issue 6 are states, not past-tense facts. */
const ALERT_EVENTS = ['ErrorRateWarning', 'ErrorRateCritical'];
/** Past tense at the end (`…ed`, irregular `…Set`), optionally followed by a particle (`RolledBack`, `TimedOut`). */
const PAST_TENSE = /([a-z]ed|Set)(Back|Out)?$/;

describe('the message catalog', () => {
  it('lists the health query of every service', () => {
    for (const service of SERVICES) {
      expect(findCommandOrQuery(`qry.${service}.Health`)).toBeDefined();
    }
  });

  it('gives every command and query a unique subject', () => {
    const subjects = commandsAndQueries.map((d) => d.subject);
    expect(new Set(subjects).size).toBe(subjects.length);
  });

  it('names commands and queries cmd|qry.<service>.<PascalCase>', () => {
    for (const d of commandsAndQueries) {
      const prefix = d.kind === 'command' ? 'cmd' : 'qry';
      expect(d.subject).toMatch(new RegExp(`^${prefix}\\.${d.service}\\.[A-Z][A-Za-z]+$`));
    }
  });

  it('gives every event a unique PascalCase past-tense type', () => {
    const types = events.map((d) => d.type);
    expect(new Set(types).size).toBe(types.length);
    for (const type of types) {
      expect(type).toMatch(/^[A-Z][A-Za-z]+$/);
      if (!ALERT_EVENTS.includes(type)) expect(type).toMatch(PAST_TENSE);
    }
  });

  it('gives every event an aggregate type and a subject filter of its own service', () => {
    for (const d of events) {
      expect(d.aggregateType).toMatch(/^[A-Z][A-Za-z]+$/);
      expect(d.subjectFilter).toBe(`events.${d.service}.${d.type}.*`);
      expect(eventSubject(d.service, d.type, 'tx')).toBe(`events.${d.service}.${d.type}.TX`);
    }
  });

  it('finds each definition by subject or by event type', () => {
    for (const d of CATALOG) {
      if (d.kind === 'event') expect(findEvent(d.type)).toBe(d);
      else expect(findCommandOrQuery(d.subject)).toBe(d);
    }
    expect(findCommandOrQuery('cmd.orchestrator.Nope')).toBeUndefined();
    expect(findEvent('NothingHappened')).toBeUndefined();
  });

  it('covers the messages the issues name', () => {
    const names = new Set(CATALOG.map((d) => (d.kind === 'event' ? d.type : d.name)));
    const required = [
      'StartStateRollout',
      'PauseStateRollout',
      'ResumeStateRollout',
      'CancelStateRollout',
      'RetryCommunityRollout',
      'UpdateRolloutSettings',
      'ImportCommunities',
      'GetStateProgress',
      'ListStateRollouts',
      'GetCommunityRollout',
      'ListCommunities',
      'StateRolloutStarted',
      'StateRolloutPaused',
      'StateRolloutResumed',
      'StateRolloutCompleted',
      'StateRolloutCancelled',
      'CommunityRolloutQueued',
      'CommunityPhaseRequested',
      'CommunityPhaseCompleted',
      'CommunityPhaseFailed',
      'CommunityRolloutCompleted',
      'CommunityRolloutFailed',
      'BusinessesDiscovered',
      'ApiUsageRecorded',
      'DirectoryListingSeeded',
      'EventVenueSeeded',
      'CrmLeadSeeded',
      'PublishPriceBook',
      'SetBudget',
      'GetPriceBook',
      'GetCostSummary',
      'BudgetThresholdReached',
      'BudgetExceeded',
      'CreateFlag',
      'UpdateFlag',
      'SetRolloutPercentage',
      'SetStrategy',
      'AllowSubjects',
      'DisallowSubjects',
      'DenySubjects',
      'UndenySubjects',
      'EmergencyStop',
      'ReleaseEmergencyStop',
      'ScheduleRamp',
      'Evaluate',
      'GetRolloutStats',
      'JobOutcomeRecorded',
      'FlagRolledBack',
      'SetTier',
      'ReserveQuota',
      'CommitReservation',
      'ReleaseReservation',
      'ConsumeQuota',
      'GetQuota',
      'SubmitJob',
      'GetJob',
      'ListJobs',
      'JobStarted',
      'JobCompleted',
      'JobFailed',
    ];
    expect(required.filter((name) => !names.has(name))).toEqual([]);
  });

  it('can instantiate every payload class', () => {
    for (const d of CATALOG) {
      expect(new d.payload()).toBeInstanceOf(d.payload);
    }
  });

  it('refuses an empty payload for every command, naming commandId and actor', () => {
    for (const d of CATALOG) {
      if (d.kind !== 'command') continue;
      const errors = validateSync(plainToInstance(d.payload, {}) as object);
      const fields = errors.map((e) => e.property);
      expect(fields).toEqual(expect.arrayContaining(['commandId', 'actor']));
    }
  });

  it('refuses an empty payload for every event that has required fields', () => {
    for (const d of events) {
      const errors = validateSync(plainToInstance(d.payload, {}) as object);
      expect(errors.length).toBeGreaterThan(0);
    }
  });
});
