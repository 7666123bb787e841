import { eventually } from '@rcp/testing';
import {
  importTowns,
  startSystem,
  type SystemUnderTest,
} from '../tools/cli/test/system-under-test';

describe('rollout CLI against the real system', () => {
  let system: SystemUnderTest;

  beforeAll(async () => {
    system = await startSystem('cli');
    await importTowns(system.nc, 'RI', 3);
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
  }, 60_000);

  const json = async (args: string[]) => {
    const result = await system.cli([...args, '--json']);
    if (result.code !== 0)
      throw new Error(`rollout ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return JSON.parse(result.stdout) as Record<string, unknown>;
  };

  it('starts, refuses a second start, pauses, resumes, and reports status, cost and events', async () => {
    const started = await json(['start', 'ri', '--batch-size', '1', '--throttle-ms', '0']);
    expect(started).toMatchObject({ stateCode: 'RI', totalCommunities: 3 });
    expect(started.traceId).toMatch(/^[0-9a-f]{32}$/);

    const refused = await system.cli(['start', 'RI']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error ROLLOUT_ALREADY_ACTIVE');

    const status = await json(['status', 'RI']);
    expect(status).toMatchObject({
      stateCode: 'RI',
      stateRolloutId: started.stateRolloutId,
      totalCommunities: 3,
    });
    expect(status.phaseBreakdown).toHaveProperty('1');

    expect(await json(['pause', 'RI', '--reason', 'e2e'])).toMatchObject({ status: 'paused' });
    expect(await json(['resume', 'RI'])).toMatchObject({ status: 'in_progress' });

    await eventually(
      async () => {
        const cost = await system.cli(['cost', 'RI', '--by', 'sku', '--csv']);
        expect({ code: cost.code, stderr: cost.stderr }).toEqual({ code: 0, stderr: '' });
        const [header, ...rows] = cost.stdout.trim().split('\n');
        expect(header).toBe('key,requests,cost');
        expect(rows.some((r) => /^essentials,\d+,\d+(\.\d+)?$/.test(r))).toBe(true);
      },
      60_000,
      500,
    );

    const events = await system.cli([
      'events',
      '--state',
      'RI',
      '--service',
      'orchestrator',
      '--json',
    ]);
    expect(events.code).toBe(0);
    const lines = events.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; subject: string });
    expect(lines.map((l) => l.type)).toEqual(
      expect.arrayContaining(['StateRolloutStarted', 'StateRolloutPaused', 'StateRolloutResumed']),
    );
    expect(lines.every((l) => /^events\.orchestrator\.\w+\.RI$/.test(l.subject))).toBe(true);
  }, 120_000);

  it('exits non-zero with the error code for refusals and bad input', async () => {
    const invalid = await system.cli(['start', 'XX', '--json']);
    expect(invalid.code).toBe(1);
    expect(JSON.parse(invalid.stdout)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    const usage = await system.cli(['start', 'RI', '--batch-size', 'many']);
    expect(usage.code).toBe(2);
    const help = await system.cli(['dlq', 'replay', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('rollout dlq replay <seq>');
  }, 60_000);

  it('verifies every service and lists an empty dead-letter queue', async () => {
    const dlq = await json(['dlq', 'list']);
    expect(dlq).toEqual([]);
    const verify = await system.cli(['verify', 'flags', '--json']);
    expect(JSON.parse(verify.stdout)).toMatchObject({
      reports: [{ service: 'flags', checks: expect.any(Array) }],
    });
    const rebuilt = await json(['rebuild', 'flags']);
    expect(rebuilt).toMatchObject({
      service: 'flags',
      rebuilt: expect.arrayContaining(['rollout-configuration']),
    });
  }, 60_000);
});
