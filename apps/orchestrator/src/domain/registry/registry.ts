import type { CommunitiesImported } from '@rcp/contracts';

/** Registry events: communities added to or updated in the registry, per state. */
export type RegistryEvent = { type: 'CommunitiesImported'; data: CommunitiesImported };
