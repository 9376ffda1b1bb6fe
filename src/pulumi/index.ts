export * from './synced-chart';
export * from './inputs';
export * from './workspace';
