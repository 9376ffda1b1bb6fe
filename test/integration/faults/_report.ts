/** Where the fault tests find the test cluster's certificates, and where they leave their figures. */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The --cert-dir of the test cluster's API server (its serving certificate is reused by the proxy), if known. */
export function certDirOf(stateFile = process.env.SYNC_HOOKS_CLUSTER_STATE): string | undefined {
  if (!stateFile || !fs.existsSync(stateFile)) return undefined;
  return path.join(JSON.parse(fs.readFileSync(stateFile, 'utf8')).dataDir, 'certs');
}

/** Writes `<SYNC_HOOKS_FAULT_REPORT>/<name>.json` when that directory is set (figures for the notes). */
export function writeReport(name: string, data: unknown): void {
  const dir = process.env.SYNC_HOOKS_FAULT_REPORT;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(data, null, 2) + '\n');
}
