export * from './database';
export * from './event-store';
export * from './migrations/chassis-tables.migration';
export * from './sql-arrays';
