/**
 * Entry point of `pulumi-resource-sync-hooks` (bin/pulumi-resource-sync-hooks): serves the provider
 * and prints the port on the first line of stdout, as the engine expects.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { serve } from './server';

/** The package root (holds package.json and schema.json), from dist/provider or src/provider. */
const ROOT = path.resolve(__dirname, '..', '..');

export function providerVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
}

/** The package schema with the running version. */
export function providerSchema(): string {
  const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schema.json'), 'utf8'));
  return JSON.stringify({ ...schema, version: providerVersion() });
}

/** The engine's address: the first argument that is not a logging/tracing flag. */
export function engineAddressOf(args: string[]): string | undefined {
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--logtostderr' || a.startsWith('-v=') || a.startsWith('--logflow')) continue;
    if (a === '--tracing') {
      i++;
      continue;
    }
    rest.push(a);
  }
  return rest[0];
}

/**
 * SIGINT: a Ctrl-C that reaches us (same process group as the CLI) cancels a running call like the
 * engine's Cancel (hooks terminated, SyncFail runs, the call answers). With nothing running it is
 * the engine closing the plugin at the end of a preview or update: exit at once (ignoring it kept
 * every `pulumi up` waiting for the engine's grace period, twice).
 */
export function onSigint(provider: { cancel(): void }, busy: () => boolean, exit: () => void): () => void {
  return () => {
    provider.cancel();
    if (!busy()) exit();
  };
}

export async function main(args: string[]): Promise<void> {
  if (args.includes('--version')) {
    process.stdout.write(`${providerVersion()}\n`);
    return;
  }
  if (args.includes('--schema')) {
    process.stdout.write(`${JSON.stringify(JSON.parse(providerSchema()), null, 2)}\n`);
    return;
  }
  const { port, provider, busy } = await serve({ version: providerVersion(), schema: providerSchema(), engineAddress: engineAddressOf(args) });
  process.on('SIGINT', onSigint(provider, busy, () => process.exit(0)));
  process.stdout.write(`${port}\n`);
}
