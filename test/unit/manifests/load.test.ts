import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifests, loadValidManifests, ManifestValidationError, readManifests, sourceOf } from '../../../src/manifests';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'manifests-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(rel: string, text: string): string {
  const p = join(dir, rel);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
  return p;
}

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

describe('loadManifests', () => {
  test('walks a directory recursively, sorted, reading .yaml/.yml/.json only and skipping hidden entries', () => {
    write('b.yaml', cm('b'));
    write('a.json', '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}');
    write('sub/c.yml', cm('c'));
    write('sub/z.YAML', cm('z'));
    write('.hidden/h.yaml', cm('hidden'));
    write('.dot.yaml', cm('dot'));
    write('README.md', '# not a manifest');
    write('notes.txt', 'kind: nope');
    expect(loadManifests([dir]).map((o) => o.metadata.name)).toEqual(['a', 'b', 'c', 'z']);
  });

  test('takes files as given (any extension) and in the order given, after directories', () => {
    const x = write('x.txt', cm('x'));
    write('d/a.yaml', cm('a'));
    const objs = loadManifests([x, join(dir, 'd')]);
    expect(objs.map((o) => o.metadata.name)).toEqual(['x', 'a']);
    expect(sourceOf(objs[1])).toBe(join(dir, 'd/a.yaml:1'));
  });

  test('a cdk8s dist/ with multi-document files', () => {
    write('dist/app.k8s.yaml', `${cm('one')}---\n${cm('two')}`);
    expect(loadManifests([join(dir, 'dist')]).map((o) => o.metadata.name)).toEqual(['one', 'two']);
  });

  test('every missing path and syntax error is reported in one error', () => {
    write('bad1.yaml', 'kind: A\n  bad: indent\n');
    write('good.yaml', cm('g'));
    write('bad2.json', '{"kind": }');
    const missing = join(dir, 'missing.yaml');
    let err: unknown;
    try {
      loadManifests([dir, missing]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ManifestValidationError);
    expect((err as Error).message).toBe(
      [
        'Invalid manifests (3 problems):',
        `  ${missing}: no such file or directory`,
        `  ${join(dir, 'bad1.yaml')}:1:7: document 1: invalid YAML: Nested mappings are not allowed in compact mappings`,
        `  ${join(dir, 'bad2.json')}:1:10: document 1: invalid YAML: Unresolved plain scalar ""`,
      ].join('\n'),
    );
    expect((err as ManifestValidationError).problems).toHaveLength(3);
  });

  test('readManifests returns what it could read beside the problems', () => {
    write('a.yaml', cm('a'));
    const r = readManifests([dir, join(dir, 'nope')]);
    expect(r.objects.map((o) => o.metadata.name)).toEqual(['a']);
    expect(r.problems.map((p) => p.message)).toEqual(['no such file or directory']);
  });
});

describe('loadValidManifests', () => {
  test('reports syntax and object problems together', () => {
    const bad = write('bad.yaml', 'kind: [\n');
    const noName = write('noname.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n');
    expect(() => loadValidManifests([dir])).toThrow(
      [
        'Invalid manifests (2 problems):',
        `  ${bad}:2:1: document 1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`,
        `  ${noName}:1: ConfigMap (no name): metadata.name: is required`,
      ].join('\n'),
    );
  });

  test('valid manifests load', () => {
    write('a.yaml', cm('a'));
    expect(loadValidManifests([dir], { defaultNamespace: 'x' })).toHaveLength(1);
  });
});
