import { defineQuery, QueryDto } from '../messages';
import { SERVICES, type ServiceName } from '../services';

/** `qry.<service>.Health` takes an empty payload. */
export class HealthQuery extends QueryDto {}

/** Reply of `qry.<service>.Health`. */
export interface HealthReply {
  service: ServiceName;
  status: 'ok';
  version: string;
}

/** One Health query per service. */
export const HEALTH_QUERIES = Object.fromEntries(
  SERVICES.map((service) => [
    service,
    defineQuery(service, 'Health', HealthQuery, `Liveness of the ${service} service.`),
  ]),
) as Record<ServiceName, ReturnType<typeof defineQuery<HealthQuery>>>;
