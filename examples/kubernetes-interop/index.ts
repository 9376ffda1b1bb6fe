/**
 * Pulumi program of the interop example. Use it as a project of its own: copy Pulumi.yaml from the
 * repository root and set `main: examples/kubernetes-interop/index.ts`. pulumi-resource-kubernetes
 * must be on PATH (`sync-hooks toolchain` builds it into the cache: see docs/kubernetes-interop.md).
 *
 * Config: `kubeconfig` (secret, contents; default: the file $KUBECONFIG or ~/.kube/config),
 * `namespace`, `image`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { interopExample } from './program';

const config = new pulumi.Config();
const kubeconfig =
  config.getSecret('kubeconfig') ??
  pulumi.secret(fs.readFileSync(process.env.KUBECONFIG?.split(path.delimiter)[0] || path.join(os.homedir(), '.kube', 'config'), 'utf8'));

const out = interopExample({ kubeconfig, namespace: config.get('namespace'), image: config.get('image') });

export const webPreSync = out.webPreSync;
export const webPostSync = out.webPostSync;
export const reportsHooks = out.reportsHooks;
