/** The service tokens used in every subject, queue group and schema name. */
export const SERVICES = ['orchestrator', 'discovery', 'ledger', 'flags', 'quota'] as const;

/** One of the five services of the control plane. */
export type ServiceName = (typeof SERVICES)[number];

/** Narrows a string to a {@link ServiceName}. */
export function isServiceName(value: string): value is ServiceName {
  return (SERVICES as readonly string[]).includes(value);
}
