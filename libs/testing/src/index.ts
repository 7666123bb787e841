export * from './test-infra';
export * from './eventually';
export * from './node-process';
export * from './stream-reader';
export * from './table-hash';
