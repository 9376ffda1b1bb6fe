/**
 * Reading a kubeconfig in any form a user or a Pulumi program hands over: a file path, YAML text,
 * JSON text (one line, as pulumi-eks outputs it) or base64 of either. A kubeconfig holds
 * credentials, so no error ever quotes it: errors name the form, the size and the problem (a
 * line/column, a missing field), never the content. Pure where it can be: `parseKubeconfig`
 * reads text only, `loadKubeConfig` adds the file system and client-node.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { SyncHooksError } from './errors';

/** A kubeconfig that cannot be used. The message never contains the kubeconfig's content. */
export class KubeconfigError extends SyncHooksError {
  override name = 'KubeconfigError';
}

export type KubeconfigForm = 'file' | 'YAML' | 'JSON' | 'base64';

export interface ParsedKubeconfig {
  form: KubeconfigForm;
  /** How to name it in messages: `file /path`, `YAML text (812 characters)`... never the content. */
  label: string;
  config: Record<string, any>;
  /** Directory relative certificate paths resolve against (file form only). */
  dir?: string;
}

const TOP_LEVEL_KEY = /^\s*(apiVersion|kind|clusters|contexts|users|current-context|preferences)\s*:/m;

function describe(form: KubeconfigForm, text: string): string {
  return `${form} text (${text.length} characters)`;
}

/** `yaml` errors quote the source; only their position is kept. */
function parseText(text: string, label: string, json: boolean): Record<string, any> {
  let value: unknown;
  if (json) {
    try {
      value = JSON.parse(text);
    } catch (e) {
      const pos = /position (\d+)/.exec((e as Error).message)?.[1];
      throw new KubeconfigError(`kubeconfig ${label} is not valid JSON${pos ? ` (at character ${pos})` : ''}`);
    }
  } else {
    const doc = parseDocument(text);
    if (doc.errors.length) {
      const at = doc.errors[0].linePos?.[0];
      throw new KubeconfigError(`kubeconfig ${label} is not valid YAML${at ? ` (line ${at.line}, column ${at.col})` : ''}`);
    }
    value = doc.toJS();
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new KubeconfigError(`kubeconfig ${label} is not a kubeconfig: expected a mapping with clusters, users and contexts`);
  }
  return value as Record<string, any>;
}

function fromBase64(text: string): string | undefined {
  const t = text.trim();
  if (t.length < 16 || !/^[A-Za-z0-9+/=_-]+$/.test(t)) return undefined;
  const decoded = Buffer.from(t, 'base64').toString('utf8');
  return /^\s*\{/.test(decoded) || TOP_LEVEL_KEY.test(decoded) ? decoded : undefined;
}

/**
 * Recognizes the form of `input` and parses it. Text is told from a path by its content (a `{`, a
 * newline or a kubeconfig key), so a one-line JSON kubeconfig is never mistaken for a file name.
 */
export function parseKubeconfig(input: string, exists: (p: string) => boolean = fs.existsSync, read: (p: string) => string = (p) => fs.readFileSync(p, 'utf8')): ParsedKubeconfig {
  const trimmed = input.trim();
  if (trimmed.startsWith('{')) {
    const label = describe('JSON', input);
    return { form: 'JSON', label, config: parseText(trimmed, label, true) };
  }
  if (/\n/.test(trimmed) || TOP_LEVEL_KEY.test(trimmed)) {
    const label = describe('YAML', input);
    return { form: 'YAML', label, config: parseText(input, label, false) };
  }
  const file = trimmed.startsWith('~/') ? path.join(os.homedir(), trimmed.slice(2)) : trimmed;
  if (trimmed && exists(file)) {
    const label = `file ${file}`;
    let text: string;
    try {
      text = read(file);
    } catch (e) {
      throw new KubeconfigError(`kubeconfig ${label} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    return { form: 'file', label, config: parseText(text, label, /^\s*\{/.test(text)), dir: path.dirname(path.resolve(file)) };
  }
  const decoded = fromBase64(trimmed);
  if (decoded !== undefined) {
    const label = describe('base64', input);
    return { form: 'base64', label, config: parseText(decoded.trim(), label, /^\s*\{/.test(decoded)) };
  }
  // Not quoted: a "path" that does not exist may as well be a pasted token.
  throw new KubeconfigError(
    `kubeconfig (${input.length} characters on one line) is neither an existing file nor kubeconfig text: give a file path, YAML, JSON or base64 of either`,
  );
}

function useContext(kc: any, label: string, context?: string): void {
  if (!context) return;
  if (!kc.getContextObject(context)) throw new KubeconfigError(`${label} has no context "${context}"`);
  kc.setCurrentContext(context);
}

function loadClientNode(): any {
  return require('@kubernetes/client-node');
}

/**
 * Loads a client-node KubeConfig from any form; undefined or '' means the default (`KUBECONFIG`,
 * ~/.kube/config, in-cluster). `context` selects a context other than the current one.
 */
export function loadKubeConfig(input?: string, context?: string): any {
  const { KubeConfig } = loadClientNode();
  const kc = new KubeConfig();
  if (input === undefined || input === '') {
    const candidates = [...(process.env.KUBECONFIG ?? '').split(':').filter(Boolean), path.join(os.homedir(), '.kube', 'config')];
    if (!process.env.KUBERNETES_SERVICE_HOST && !candidates.some((f) => fs.existsSync(f))) {
      throw new KubeconfigError('no kubeconfig found: set KUBECONFIG (or pass a kubeconfig), or start the embedded cluster with `sync-hooks cluster up`');
    }
    kc.loadFromDefault();
    useContext(kc, 'the default kubeconfig', context);
    if (!kc.getCurrentCluster()) throw new KubeconfigError('the default kubeconfig has no current cluster (current-context)');
    return kc;
  }
  const parsed = parseKubeconfig(input);
  try {
    // client-node's own checks name fields (`clusters[0].cluster.server is missing`), never values.
    kc.loadFromString(JSON.stringify(parsed.config));
  } catch (e) {
    throw new KubeconfigError(`kubeconfig ${parsed.label}: ${(e as Error).message}`);
  }
  if (parsed.dir) kc.makePathsAbsolute(parsed.dir);
  useContext(kc, `kubeconfig ${parsed.label}`, context);
  if (!kc.getCurrentCluster()) {
    const ctx = parsed.config['current-context'];
    throw new KubeconfigError(
      `kubeconfig ${parsed.label} has no current cluster: ${typeof ctx === 'string' && ctx ? `current-context "${ctx}" names no context with a known cluster` : 'current-context is not set'}`,
    );
  }
  return kc;
}
