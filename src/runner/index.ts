export * from './inventory';
export * from './normalize';
export * from './run';
export * from './prepare';
export * from './inventory-store';
export * from './record';
