/** An application's operation history (the last N operations, kept in a Secret) and how the runner writes it. */
export * from './entry';
export * from './store';
export * from './record';
