import { redactUrl } from '@rcp/infra';
import type { HealthReport } from './health';
import type { RunningService } from './services';

function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: string[]): string =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join(
    '\n',
  );
}

export function servicesTable(
  services: readonly RunningService[],
  reports: readonly HealthReport[],
): string {
  const rows = services.map((service) => {
    const report = reports.find((candidate) => candidate.token === service.spec.token);
    return [
      service.spec.token,
      String(service.pid),
      report?.healthy ? 'healthy' : 'unhealthy',
      report?.version ?? '-',
    ];
  });
  return formatTable(['service', 'pid', 'health', 'version'], rows);
}

export function infrastructureLines(
  natsUrl: string,
  databaseUrl: string,
  embedded: { nats: boolean; postgres: boolean },
): string {
  const origin = (own: boolean): string =>
    own ? 'started by the launcher' : 'from the environment';
  return [
    `NATS:       ${redactUrl(natsUrl)} (${origin(embedded.nats)})`,
    `PostgreSQL: ${redactUrl(databaseUrl)} (${origin(embedded.postgres)})`,
  ].join('\n');
}
