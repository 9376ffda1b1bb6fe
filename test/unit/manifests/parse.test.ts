import { ManifestValidationError, parseManifestText, readManifestText, sourceOf } from '../../../src/manifests';

describe('parseManifestText', () => {
  test('reads multi-document YAML, skipping empty documents and comments, recording file:line', () => {
    const text = ['# leading comment', '---', 'apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: a}', '---', '---', '# only a comment', '---', 'apiVersion: v1', 'kind: Secret', 'metadata:', '  name: b', ''].join('\n');
    const objs = parseManifestText(text, 'app.yaml');
    expect(objs).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'b' } },
    ]);
    expect(objs.map((o) => sourceOf(o))).toEqual(['app.yaml:3', 'app.yaml:10']);
  });

  test('reads scalars as kubectl does: octal, yes/no booleans; timestamps and base-60 stay strings; `off` as a key is false', () => {
    const [o] = parseManifestText('kind: X\nmode: 0644\nflag: yes\nother: no\noff: 1\ndate: 2001-12-14\ntime: 1:20\nquoted: "0644"\n', 'x.yaml');
    expect(o).toEqual({ kind: 'X', mode: 420, flag: true, other: false, false: 1, date: '2001-12-14', time: '1:20', quoted: '0644' });
  });

  test('flattens kind: List (and *List with items), with a source line per item', () => {
    const text = ['apiVersion: v1', 'kind: List', 'items:', '  - apiVersion: v1', '    kind: ConfigMap', '    metadata: {name: a}', '  - apiVersion: v1', '    kind: ConfigMapList', '    items:', '      - {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}'].join('\n');
    const objs = parseManifestText(text, 'list.yaml');
    expect(objs.map((o) => o.metadata.name)).toEqual(['a', 'b']);
    expect(objs.map((o) => sourceOf(o))).toEqual(['list.yaml:4', 'list.yaml:10']);
  });

  test('reads JSON: one object, an array of objects, or a List', () => {
    expect(parseManifestText('{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}', 'a.json')).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } },
    ]);
    const arr = parseManifestText('[\n\t{"kind": "A", "metadata": {"name": "a"}},\n\t{"kind": "B", "metadata": {"name": "b"}}\n]', 'arr.json');
    expect(arr.map((o) => [o.kind, sourceOf(o)])).toEqual([
      ['A', 'arr.json:2'],
      ['B', 'arr.json:3'],
    ]);
    expect(parseManifestText('{"kind": "List", "items": [{"kind": "A"}, {"kind": "B"}]}', 'l.json').map((o) => o.kind)).toEqual(['A', 'B']);
  });

  test('malformed YAML: one error with file, line, column and document', () => {
    const text = 'kind: A\n---\nkind: B\nmetadata: {name: b\nspec: x\n';
    expect(() => parseManifestText(text, 'bad.yaml')).toThrow(ManifestValidationError);
    expect(() => parseManifestText(text, 'bad.yaml')).toThrow(
      ['Invalid manifests (1 problem):', '  bad.yaml:5:1: document 2: invalid YAML: Flow map in block collection must be sufficiently indented and end with a }'].join('\n'),
    );
  });

  test('malformed JSON is reported with its line', () => {
    const { problems } = readManifestText('{\n  "kind": "A",\n  "metadata": {"name": tru}\n}', 'bad.json');
    expect(problems).toEqual([{ source: 'bad.json:3:24', object: 'document 1', field: '', message: 'invalid YAML: Unresolved plain scalar "tru"' }]);
  });

  test('a document that is not an object is a problem', () => {
    const { objects, problems } = readManifestText('just text\n---\n- kind: A\n- 3\n', 'odd.yaml');
    expect(objects).toEqual([{ kind: 'A' }]);
    expect(problems).toEqual([
      { source: 'odd.yaml:1', object: 'document 1', field: '', message: 'is not a Kubernetes object (got string)' },
      { source: 'odd.yaml:4', object: 'document 2, item 2', field: '', message: 'is not a Kubernetes object (got number)' },
    ]);
  });

  test('only the first syntax error of a document is reported; other documents still count', () => {
    const { objects, problems } = readManifestText('kind: A\n  bad: indent\n---\nkind: B\n', 'two.yaml');
    expect(objects).toEqual([{ kind: 'B' }]);
    expect(problems).toEqual([{ source: 'two.yaml:1:7', object: 'document 1', field: '', message: 'invalid YAML: Nested mappings are not allowed in compact mappings' }]);
  });

  test('duplicate keys in a mapping are a syntax error', () => {
    const { problems } = readManifestText('kind: A\nkind: B\n', 'dup.yaml');
    expect(problems.map((p) => `${p.source} ${p.message}`)).toEqual(['dup.yaml:2:1 invalid YAML: Map keys must be unique']);
  });
});
