/**
 * One YAML reader for every entry point: the CLI's `-f` files, a YAML string given to
 * `SyncedChart` (and the native provider), and `HookPhases` all read the same way (YAML 1.1, as
 * kubectl), and the same bad text fails the same way, naming the document, before any write.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chartManifests, loadManifests, ManifestValidationError } from '../../../src/manifests';

const CM = (data: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: a
data: {}
---
apiVersion: v1
kind: Secret
metadata:
  name: b
${data}
`;

function viaFile(text: string): unknown {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'one-reader-'));
  try {
    fs.writeFileSync(path.join(dir, 'chart.yaml'), text);
    return loadManifests([path.join(dir, 'chart.yaml')]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const entryPoints: Array<[string, (text: string) => unknown]> = [
  ['CLI -f file', viaFile],
  ['SyncedChart string', (t) => chartManifests(t, 'SyncedChart "shop": chart')],
  ['HookPhases string', (t) => chartManifests(t, 'HookPhases "db": hooks')],
];

describe.each(entryPoints)('%s', (_name, read) => {
  it('reads YAML 1.1 scalars as kubectl does: 0644 is octal (420)', () => {
    const objs = read(CM('defaultMode: 0644')) as Array<Record<string, unknown>>;
    expect(objs[1].defaultMode).toBe(420);
  });

  it('refuses an unterminated quote, naming the document and line', () => {
    const err = (() => {
      try {
        read(CM('stringData:\n  k: "unterminated\n'));
      } catch (e) {
        return e;
      }
      throw new Error('accepted an unterminated quote');
    })();
    expect(err).toBeInstanceOf(ManifestValidationError);
    expect((err as Error).message).toMatch(/document 2: invalid YAML/);
    expect((err as Error).message).toMatch(/:\d+:\d+/);
  });

  it('refuses a duplicate key, naming the document', () => {
    expect(() => read(CM('metadata:\n  name: c'))).toThrow(/document 2: invalid YAML: .*[Mm]ap keys must be unique/);
  });

  it('skips empty documents', () => {
    expect(read(`---\n${CM('data: {}')}---\n`)).toHaveLength(2);
  });
});

it('a chart of the wrong type names its source', () => {
  expect(() => chartManifests(42 as never, 'SyncedChart "x": chart')).toThrow('SyncedChart "x": chart: must be a cdk8s Chart, an array of manifests or a YAML string');
});
