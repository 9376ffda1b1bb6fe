/**
 * Pulumi plumbing without Pulumi Cloud: the real `pulumi` CLI (from the toolchain), the local file
 * backend in a project-local or temp directory, a passphrase secrets provider, and the
 * Automation API. Used by `npm start`, the integration tests and users who drive stacks from code.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as automation from '@pulumi/pulumi/automation';
import { ensureToolchain, Toolchain } from '../localcluster/toolchain';
import { cacheRoot } from '../localcluster/versions';

/** Passphrase used when PULUMI_CONFIG_PASSPHRASE(_FILE) is not set. Fine for local state; set your own for anything shared. */
export const DEFAULT_LOCAL_PASSPHRASE = 'sync-hooks-local';

export interface LocalStackOptions {
  projectName: string;
  stackName: string;
  /** Inline program (no language host needed). Either this or `workDir` with a Pulumi.yaml. */
  program?: automation.PulumiFn;
  /** Directory of a Pulumi.yaml project (needs pulumi-language-nodejs), or the working dir of an inline program. */
  workDir?: string;
  /** File backend directory (default: `<cwd>/.pulumi-state`). */
  stateDir?: string;
  /** Extra environment for every pulumi CLI call (and so for the dynamic provider process). */
  envVars?: Record<string, string>;
  toolchain?: Toolchain;
}

/** Environment for the pulumi CLI: file backend, passphrase, no update check, no plugin downloads, Node >= 22 first on PATH. */
export function pulumiEnv(tc: Toolchain, stateDir: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {
    PULUMI_BACKEND_URL: `file://${stateDir}`,
    PULUMI_SKIP_UPDATE_CHECK: 'true',
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
    PULUMI_HOME: process.env.PULUMI_HOME ?? path.join(cacheRoot(), 'pulumi-home'),
    // The dynamic provider shim runs `node`: make it the Node running us (>= 22), then the shim dir.
    PATH: [path.dirname(process.execPath), ...(tc.binDir ? [tc.binDir] : []), tc.pulumiBinDir, path.dirname(tc.pulumi), process.env.PATH ?? ''].join(path.delimiter),
  };
  if (process.env.PULUMI_CONFIG_PASSPHRASE === undefined && process.env.PULUMI_CONFIG_PASSPHRASE_FILE === undefined) {
    env.PULUMI_CONFIG_PASSPHRASE = DEFAULT_LOCAL_PASSPHRASE;
  }
  return { ...env, ...extra };
}

/** The node_modules directory that holds @pulumi/pulumi (ours, or the user's project's). */
export function nodeModulesDir(): string {
  return path.dirname(path.dirname(path.dirname(require.resolve('@pulumi/pulumi/package.json'))));
}

function scratchWorkDir(stateDir: string): string {
  const dir = path.join(stateDir, 'workdir');
  fs.mkdirSync(dir, { recursive: true });
  const link = path.join(dir, 'node_modules');
  if (!fs.existsSync(link)) fs.symlinkSync(nodeModulesDir(), link, 'dir');
  return dir;
}

/** Creates or selects a stack on the local file backend, ready for up/preview/refresh/destroy. */
export async function localStack(opts: LocalStackOptions): Promise<automation.Stack> {
  const auto: typeof automation = require('@pulumi/pulumi/automation');
  const tc = opts.toolchain ?? (await ensureToolchain({ parts: ['pulumi'] }));
  const stateDir = path.resolve(opts.stateDir ?? path.join(process.cwd(), '.pulumi-state'));
  fs.mkdirSync(stateDir, { recursive: true });
  const envVars = pulumiEnv(tc, stateDir, opts.envVars);
  const pulumiCommand = await auto.PulumiCommand.get({ root: path.dirname(path.dirname(tc.pulumi)), skipVersionCheck: false });
  const wsOpts: automation.LocalWorkspaceOptions = {
    pulumiCommand,
    envVars,
    pulumiHome: envVars.PULUMI_HOME,
    secretsProvider: 'passphrase',
    workDir: opts.workDir,
  };
  if (opts.program) {
    // The dynamic-provider plugin runs in the program's directory and resolves @pulumi/pulumi from
    // there, so an inline program needs a directory with node_modules: the given one if it already
    // has a Pulumi.yaml (left untouched), else a scratch directory linked to our node_modules.
    const hasProject = opts.workDir && fs.existsSync(path.join(opts.workDir, 'Pulumi.yaml'));
    const workDir = hasProject ? opts.workDir : scratchWorkDir(stateDir);
    return auto.LocalWorkspace.createOrSelectStack(
      { stackName: opts.stackName, projectName: opts.projectName, program: opts.program },
      {
        ...wsOpts,
        workDir,
        projectSettings: hasProject ? undefined : { name: opts.projectName, runtime: 'nodejs', backend: { url: envVars.PULUMI_BACKEND_URL } },
      },
    );
  }
  if (!opts.workDir) throw new Error('localStack: give either an inline `program` or a `workDir` with a Pulumi.yaml');
  return auto.LocalWorkspace.createOrSelectStack({ stackName: opts.stackName, workDir: opts.workDir }, wsOpts);
}
