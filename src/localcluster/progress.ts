/** Progress output for slow steps (toolchain builds, cluster start). Goes to stderr so `--json` stays clean. */

export type ProgressFn = (message: string) => void;

export const stderrProgress: ProgressFn = (m) => process.stderr.write(`[sync-hooks] ${m}\n`);
export const silentProgress: ProgressFn = () => undefined;

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${Math.round(s - m * 60)
    .toString()
    .padStart(2, '0')}s`;
}
