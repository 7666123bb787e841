import {
  ErrorCode,
  OpenFeature,
  ProviderEvents,
  StandardResolutionReasons,
  type Client,
} from '@openfeature/server-sdk';
import {
  AllowSubjectsCommand,
  CreateFlagCommand,
  DenySubjectsCommand,
  EvaluateQuery,
  SetRolloutPercentageCommand,
  type EvaluateReply,
} from '@rcp/contracts';
import { FlagsClient, RcpFlagsProvider } from '@rcp/flags-client';
import type { NatsConnection } from '@rcp/messaging';
import { eventually, startTestInfra, type TestInfra } from '@rcp/testing';
import {
  clientConnection,
  commandFields,
  sendOk,
  startFlagsApp,
  type FlagsApp,
} from './flags-test-kit';

const FLAG = 'discovery.dense-search';
const SUBJECTS = Array.from({ length: 10_000 }, (_, i) => `community-${i}`);

describe('OpenFeature provider over the flags client (real NATS + PostgreSQL)', () => {
  let infra: TestInfra;
  let service: FlagsApp;
  let nc: NatsConnection;
  let client: FlagsClient;
  let features: Client;

  beforeAll(async () => {
    infra = await startTestInfra('flags_openfeature');
    service = await startFlagsApp(infra);
    nc = await clientConnection(infra);
    await sendOk(nc, CreateFlagCommand, {
      ...commandFields(),
      flag: FLAG,
      rolloutPercentage: 37,
      settings: { isActive: true },
    });
    await sendOk(nc, AllowSubjectsCommand, {
      ...commandFields(),
      flag: FLAG,
      subjectIds: ['community-1', 'community-2'],
    });
    await sendOk(nc, DenySubjectsCommand, {
      ...commandFields(),
      flag: FLAG,
      subjectIds: ['community-2', 'community-3'],
    });
    client = new FlagsClient({
      nc,
      actor: 'discovery',
      emergencyOverride: { all: false, flags: new Set() },
    });
    await OpenFeature.setProviderAndWait(new RcpFlagsProvider(client));
    features = OpenFeature.getClient();
  });

  afterAll(async () => {
    await OpenFeature.close();
    await nc?.drain();
    await service?.close();
    await infra?.stop();
  });

  const serviceAnswers = async () => {
    const answers: EvaluateReply[] = [];
    for (let i = 0; i < SUBJECTS.length; i += 500)
      answers.push(
        ...(await Promise.all(
          SUBJECTS.slice(i, i + 500).map((subjectId) =>
            sendOk<EvaluateReply>(nc, EvaluateQuery, { flag: FLAG, subjectId }),
          ),
        )),
      );
    return answers;
  };

  it('answers like qry.flags.Evaluate for 10,000 subjects', async () => {
    await eventually(async () => expect(client.evaluate(FLAG, 'x').configVersion).toBe(3));
    const expected = await serviceAnswers();
    expect(new Set(expected.map((e) => e.configVersion))).toEqual(new Set([3]));
    const reasons = new Map<string, number>();
    const actual: unknown[] = [];
    for (const targetingKey of SUBJECTS) {
      const details = await features.getBooleanDetails(FLAG, false, { targetingKey });
      actual.push([details.value, details.flagMetadata.reason, details.flagMetadata.bucket]);
      reasons.set(details.reason!, (reasons.get(details.reason!) ?? 0) + 1);
    }
    expect(actual).toEqual(expected.map((e) => [e.enabled, e.reason, e.bucket]));
    expect(reasons.get(StandardResolutionReasons.TARGETING_MATCH)).toBe(3);
    expect(reasons.get(StandardResolutionReasons.SPLIT)).toBe(9_997);
    const enabled = expected.filter((e) => e.enabled).length;
    expect(enabled / SUBJECTS.length).toBeGreaterThan(0.34);
    expect(enabled / SUBJECTS.length).toBeLessThan(0.4);
  });

  it('sees a percentage change within one second, with PROVIDER_CONFIGURATION_CHANGED', async () => {
    const subject = SUBJECTS.find((s) => {
      const r = client.evaluate(FLAG, s);
      return r.bucket! > 37 && r.bucket! <= 80;
    })!;
    expect(await features.getBooleanValue(FLAG, false, { targetingKey: subject })).toBe(false);
    const changed = new Promise<string[]>((resolve) =>
      OpenFeature.addHandler(ProviderEvents.ConfigurationChanged, (details) =>
        resolve((details as { flagsChanged?: string[] } | undefined)?.flagsChanged ?? []),
      ),
    );
    const started = Date.now();
    await sendOk(nc, SetRolloutPercentageCommand, {
      ...commandFields(),
      flag: FLAG,
      percentage: 80,
    });
    expect(await changed).toEqual([FLAG]);
    expect(await features.getBooleanValue(FLAG, false, { targetingKey: subject })).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await sendOk(nc, EvaluateQuery, { flag: FLAG, subjectId: subject })).toMatchObject({
      enabled: true,
      configVersion: 4,
    });
  });

  it('reports FLAG_NOT_FOUND, TYPE_MISMATCH and a missing targeting key as OpenFeature errors', async () => {
    const missing = await features.getBooleanDetails('no-such-flag', true, { targetingKey: 's' });
    expect(missing).toMatchObject({
      value: true,
      errorCode: ErrorCode.FLAG_NOT_FOUND,
      reason: StandardResolutionReasons.ERROR,
    });
    expect(await features.getStringDetails(FLAG, 'x', { targetingKey: 's' })).toMatchObject({
      value: 'x',
      errorCode: ErrorCode.TYPE_MISMATCH,
    });
    expect(await features.getBooleanDetails(FLAG, false, {})).toMatchObject({
      errorCode: ErrorCode.TARGETING_KEY_MISSING,
    });
  });
});
