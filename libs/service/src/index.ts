export * from './service-config';
export * from './chassis.module';
export * from './json-nest-logger';
export * from './bootstrap';
export * from './operations/operations';
export * from './operations/verify-checks';
export * from './operations/metrics-server';
