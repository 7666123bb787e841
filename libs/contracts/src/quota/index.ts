export * from './quota.constants';
export * from './quota.fields';
export * from './quota-commands.dto';
export * from './job-commands.dto';
export * from './quota-queries.query';
export * from './quota-account.events';
export * from './job.events';
