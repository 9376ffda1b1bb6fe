export * from './annotations';
export * from './resource';
export * from './parse';
export * from './types';
export * from './sync-options';
