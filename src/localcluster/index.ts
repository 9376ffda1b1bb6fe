export * from './versions';
export * from './errors';
export * from './progress';
export * from './toolchain';
export * from './kwok-stages';
export * from './cluster';
export * from './kwok-logs';
