/** Typed errors of the local toolchain and cluster, with the context needed to act on them. */

export class ToolchainError extends Error {
  constructor(
    readonly component: string,
    message: string,
    readonly logTail?: string,
  ) {
    super(`${component}: ${message}${logTail ? `\n--- last lines of the build log ---\n${logTail}` : ''}`);
    this.name = 'ToolchainError';
  }
}

export class ClusterError extends Error {
  constructor(
    message: string,
    readonly logFile?: string,
    readonly logTail?: string,
  ) {
    super(`${message}${logFile ? ` (log: ${logFile})` : ''}${logTail ? `\n${logTail}` : ''}`);
    this.name = 'ClusterError';
  }
}
