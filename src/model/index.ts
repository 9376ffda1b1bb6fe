export * from './annotations';
export * from './resource';
export * from './parse';
export * from './types';
