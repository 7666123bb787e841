import { randomUUID } from 'node:crypto';
import { ERROR_CODES } from '@rcp/contracts';
import { databaseHashes } from '../tools/chaos/src/db-hash';
import { fuzzCases, fuzzTargets, type FuzzCase } from '../tools/chaos/src/fuzz';
import { startSystem, type RunningSystem } from '../tools/chaos/src/system';

const CASES = 10_000;
const IN_FLIGHT = 64;

interface Outcome {
  fuzz: FuzzCase;
  structured: boolean;
  ok: boolean;
  code?: string;
  raw: string;
}

function judge(fuzz: FuzzCase, raw: string): Outcome {
  try {
    const reply = JSON.parse(raw);
    if (reply.ok === true) return { fuzz, structured: 'data' in reply, ok: true, raw };
    const e = reply.error ?? {};
    const structured =
      reply.ok === false &&
      typeof e.code === 'string' &&
      e.code.length > 0 &&
      typeof e.message === 'string' &&
      Array.isArray(e.details);
    return { fuzz, structured, ok: false, code: e.code, raw };
  } catch {
    return { fuzz, structured: false, ok: false, raw };
  }
}

async function send(system: RunningSystem, cases: FuzzCase[]): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (let i = 0; i < cases.length; i += IN_FLIGHT) {
    const slice = cases.slice(i, i + IN_FLIGHT);
    out.push(
      ...(await Promise.all(
        slice.map(async (fuzz) => {
          const msg = await system.nc
            .request(fuzz.subject, fuzz.body, { timeout: 20_000 })
            .catch((e: Error) => ({ string: () => `NO REPLY: ${e.message}` }));
          return judge(fuzz, msg.string());
        }),
      )),
    );
  }
  return out;
}

const summary = (outcomes: Outcome[]) =>
  outcomes.reduce<Record<string, number>>((acc, o) => {
    const key = o.ok ? 'ok' : (o.code ?? 'unstructured');
    acc[key] = (acc[key] ?? 0) + 1;
    return acc;
  }, {});

describe('fuzzed commands and queries over every service subject', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startSystem({ label: 'fuzz', postgres: 'shared' });
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
  });

  it(`answers ${CASES} random and mutated requests with structured replies, without crashes or partial state`, async () => {
    const cases = fuzzCases(CASES, 'rcp-fuzz-1', 0.7);
    expect(new Set(cases.map((c) => c.subject)).size).toBe(fuzzTargets().length);
    const invalid = cases.filter((c) => c.invalid);
    const before = await databaseHashes(system.pg.adminUrl);
    const refused = await send(system, invalid);
    const afterInvalid = await databaseHashes(system.pg.adminUrl);
    const rest = await send(
      system,
      cases.filter((c) => !c.invalid),
    );
    const all = [...refused, ...rest];
    console.log(
      `fuzz: ${all.length} cases over ${fuzzTargets().length} subjects; invalid by construction ${refused.length}: ${JSON.stringify(summary(refused))}; others ${rest.length}: ${JSON.stringify(summary(rest))}`,
    );

    expect(
      all
        .filter((o) => !o.structured)
        .map((o) => `${o.fuzz.subject} ${o.fuzz.how}: ${o.raw.slice(0, 200)}`)
        .slice(0, 10),
    ).toEqual([]);
    expect(
      refused
        .filter((o) => o.ok || o.code !== ERROR_CODES.VALIDATION_FAILED)
        .map((o) => `${o.fuzz.subject} ${o.fuzz.how}: ${o.raw.slice(0, 200)}`)
        .slice(0, 10),
    ).toEqual([]);
    expect(afterInvalid).toEqual(before);
    expect(system.processes.filter((p) => !p.alive || p.starts !== 1).map((p) => p.name)).toEqual(
      [],
    );
    await system.waitHealthy(10_000);
    // Last, so the checks above run even while it fails: no request may end as INTERNAL.
    expect(
      all
        .filter((o) => o.code === ERROR_CODES.INTERNAL)
        .map(
          (o) =>
            `${o.fuzz.subject} ${o.fuzz.how} ${o.fuzz.body.slice(0, 300)} → ${o.raw.slice(0, 300)}`,
        )
        .slice(0, 10),
    ).toEqual([]);
  }, 240_000);
});

describe('a NUL character in a string field', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startSystem({
      label: 'fuzz_nul',
      postgres: 'shared',
      services: [
        { token: 'orchestrator', folder: 'orchestrator' },
        { token: 'flags', folder: 'flags' },
      ],
    });
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
  });

  // Found by the fuzzer: PostgreSQL text and jsonb cannot hold U+0000, class-validator's IsString
  // accepts it, so the command fails inside the transaction and the reply is INTERNAL.
  it.each([
    [
      'cmd.orchestrator.ImportCommunities',
      { format: 'json', rows: [{ name: 'Nultown', stateCode: 'TX' }] },
    ],
    ['cmd.flags.CreateFlag', { flag: 'nul-flag' }],
  ])('%s refuses it with VALIDATION_FAILED, not INTERNAL', async (subject, payload) => {
    const body = JSON.stringify({ ...payload, commandId: randomUUID(), actor: 'ops\u0000' });
    const reply = JSON.parse(
      (await system.nc.request(subject, body, { timeout: 10_000 })).string(),
    );
    expect(reply.error?.code).toBe(ERROR_CODES.VALIDATION_FAILED);
  });
});
