import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Parser } from '@asyncapi/parser';
import { CATALOG } from '@rcp/contracts';
import { allDefinitions, buildAsyncApi } from './asyncapi-document';
import { ASYNCAPI_PATH, asyncApiText } from './write-asyncapi';

const ERROR = 0;

describe('AsyncAPI document of the contracts', () => {
  const doc = buildAsyncApi();

  it('is a valid AsyncAPI 3 document for @asyncapi/parser', async () => {
    const { document, diagnostics } = await new Parser().parse(JSON.stringify(doc));
    const errors = diagnostics.filter((d) => d.severity === ERROR);
    expect(errors.map((e) => `${e.path.join('.')}: ${e.message}`)).toEqual([]);
    expect(document?.version()).toBe('3.0.0');
    expect(document?.channels().length).toBe(allDefinitions().length + 2);
  });

  it('has a channel for every subject of the catalog and the chassis operations', () => {
    const addresses = Object.values(doc.channels as Record<string, { address: string | null }>).map(
      (c) => c.address,
    );
    for (const d of CATALOG)
      expect(addresses).toContain(
        d.kind === 'event' ? `events.${d.service}.${d.type}.{state}` : d.subject,
      );
    expect(addresses).toEqual(
      expect.arrayContaining([
        'cmd.ledger.RebuildProjections',
        'qry.quota.Verify',
        'dlq.{service}.{consumer}',
      ]),
    );
  });

  it('takes payload schemas from the class-validator rules', () => {
    const schemas = (doc.components as { schemas: Record<string, Record<string, unknown>> })
      .schemas;
    const start = schemas['orchestrator.command.StartStateRollout'];
    expect(start.required).toEqual(expect.arrayContaining(['stateCode', 'commandId', 'actor']));
    expect(start.properties).toMatchObject({
      commandId: { format: 'uuid' },
      settings: { $ref: '#/components/schemas/RolloutSettingsDto' },
    });
    expect(schemas.RolloutSettingsDto.properties).toMatchObject({
      batchSize: { type: 'integer', maximum: 500 },
    });
  });

  it('is committed up to date (run `npm run asyncapi`)', () => {
    const committed = readFileSync(path.join(__dirname, '..', '..', '..', ASYNCAPI_PATH), 'utf8');
    expect(committed === asyncApiText()).toBe(true);
  });
});
