/**
 * Part `helm` (opt-in; only the benchmark asks for it): the Helm 4 CLI, installed straight from its
 * module like kwok (helm.sh/helm/v4 has no replace directives, so `go install pkg@version` works).
 * The ldflags are those of Helm's Makefile for a release tag, so `helm version` reports HELM_VERSION.
 */
import { goBuild } from '../go-build';
import { ProgressFn } from '../progress';
import { HELM_MODULE, HELM_VERSION } from '../versions';

export function buildHelm(dir: string, progress: ProgressFn): Promise<void> {
  const spec = {
    name: 'helm',
    announce: `building helm ${HELM_VERSION} (${HELM_MODULE}) from the Go module proxy into ${dir}. This happens once and takes 10-30 minutes on 2 cores.`,
    marker: { helm: HELM_VERSION },
  };
  const v = `${HELM_MODULE}/internal/version`;
  const ld = `-s -w -X ${v}.version=${HELM_VERSION} -X ${v}.gitTreeState=clean`;
  return goBuild(dir, progress, spec, ({ bin, run }) =>
    run('building helm', ['install', '-trimpath', '-ldflags', ld, `${HELM_MODULE}/cmd/helm@${HELM_VERSION}`], { GOBIN: bin }),
  );
}
