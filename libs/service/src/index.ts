export * from './service-config';
export * from './chassis.module';
export * from './json-nest-logger';
export * from './bootstrap';
