/** Part `k8s`: etcd, kube-apiserver, kube-controller-manager and kube-scheduler (tools/k8s). */
import * as path from 'node:path';
import { goBuild } from '../go-build';
import { ProgressFn } from '../progress';
import { ETCD_VERSION, KUBERNETES_STAGING_VERSION, KUBERNETES_VERSION } from '../versions';

export function buildK8s(dir: string, progress: ProgressFn): Promise<void> {
  const spec = {
    name: 'the Kubernetes control plane',
    announce:
      `building the Kubernetes control plane ${KUBERNETES_VERSION} (etcd ${ETCD_VERSION}) from the Go module proxy into ${dir}. ` +
      'This happens once; the first build takes 7-15 minutes on 2 cores.',
    module: 'k8s',
    marker: { kubernetes: KUBERNETES_VERSION, staging: KUBERNETES_STAGING_VERSION, etcd: ETCD_VERSION },
  };
  return goBuild(dir, progress, spec, async ({ bin, run }) => {
    await run('downloading Go modules', ['mod', 'download']);
    const minor = KUBERNETES_VERSION.split('.')[1];
    let ldflags = '-s -w';
    for (const p of ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']) {
      ldflags += ` -X '${p}.gitVersion=${KUBERNETES_VERSION}' -X '${p}.gitMajor=1' -X '${p}.gitMinor=${minor}' -X '${p}.gitTreeState=clean'`;
    }
    await run('building kube-apiserver, kube-controller-manager, kube-scheduler', [
      'build', '-trimpath', '-ldflags', ldflags, '-o', bin + path.sep,
      'k8s.io/kubernetes/cmd/kube-apiserver', 'k8s.io/kubernetes/cmd/kube-controller-manager', 'k8s.io/kubernetes/cmd/kube-scheduler',
    ]);
    await run('building etcd', ['build', '-trimpath', '-ldflags', '-s -w', '-o', path.join(bin, 'etcd'), 'go.etcd.io/etcd/server/v3']);
  });
}
