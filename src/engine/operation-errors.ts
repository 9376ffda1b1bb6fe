/**
 * The errors of an application's lock and operation record, in a module of their own (no I/O, no
 * Node modules) so that the CLI's error reporting can recognise them without loading the engine.
 */
import type { OperationKind } from './record';

/** Another operation of the application holds the lock. */
export class LockHeldError extends Error {
  override name = 'LockHeldError';
  constructor(
    readonly app: string,
    readonly holder: string,
    readonly operation: string,
    readonly acquiredAt: string,
    readonly expiresAt: string,
    lease: string,
  ) {
    super(
      `application "${app}" is locked by ${holder}, which started a ${operation} at ${acquiredAt} (${lease}); ` +
        `nothing was done. Wait for it to finish; if that process is gone, the lock expires at ${expiresAt} and the next run takes it over`,
    );
  }
}

/**
 * The lock was taken over (or its Lease deleted) while this operation ran: it stopped at the next
 * safe point and wrote nothing more (no further wave, no SyncFail, no delete policy, no record
 * update), leaving the application to the new holder.
 */
export class LockLostError extends Error {
  override name = 'LockLostError';
  constructor(
    readonly app: string,
    /** The new holder (`host:pid:random`), or undefined when the Lease was deleted. */
    readonly holder: string | undefined,
    /** What the new holder runs (`sync`, `teardown`), when known. */
    readonly holderOperation: string | undefined,
    readonly holderSince: string | undefined,
    /** This operation: its kind and the step it stopped at. */
    readonly operation: OperationKind,
    readonly stoppedAt: string,
    lease: string,
  ) {
    super(
      `application "${app}": the lock was ${holder ? `taken over by ${holder}${holderOperation ? `, which started a ${holderOperation}` : ''}${holderSince ? ` at ${holderSince}` : ''}` : 'released by someone else (the Lease was deleted)'} ` +
        `while this ${operation} ran (${lease}); the ${operation} stopped at ${stoppedAt} and wrote nothing more: no further wave, no SyncFail, its running hooks and the operation record are left to ${holder ? 'the new holder' : 'the next run'}`,
    );
  }
}

/** The operation record could not be read or written. */
export class RecordError extends Error {
  override name = 'RecordError';
}
