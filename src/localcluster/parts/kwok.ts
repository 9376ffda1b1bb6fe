/** Part `kwok`: the fake kubelet, installed straight from its module. */
import { goBuild } from '../go-build';
import { ProgressFn } from '../progress';
import { KWOK_VERSION } from '../versions';

export function buildKwok(dir: string, progress: ProgressFn): Promise<void> {
  const spec = {
    name: 'kwok',
    announce: `building kwok ${KWOK_VERSION} (the fake kubelet) into ${dir}; takes a few minutes the first time.`,
    marker: { kwok: KWOK_VERSION },
  };
  return goBuild(dir, progress, spec, ({ bin, run }) =>
    run('building kwok', ['install', '-trimpath', '-ldflags', '-s -w', `sigs.k8s.io/kwok/cmd/kwok@${KWOK_VERSION}`], { GOBIN: bin }),
  );
}
