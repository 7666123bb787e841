export * from './start-telemetry';
export * from './trace-context';
export * from './logger';
export * from './in-memory-tracing';
export * from './metrics';
