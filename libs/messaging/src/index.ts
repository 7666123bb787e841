export * from './connection';
export * from './streams';
export * from './headers';
export * from './validation';
export * from './error-reply';
export * from './request-handler';
export * from './command-bus';
export * from './command-client';
