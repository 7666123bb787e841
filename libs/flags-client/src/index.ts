export * from './bucket';
export * from './categorize';
export * from './emergency-override';
export * from './evaluate';
export * from './flag-view.reducer';
export * from './flag-cache';
export * from './flags-client';
export * from './openfeature-provider';
