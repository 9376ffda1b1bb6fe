/**
 * The committed .NET SDK (sdk/dotnet) against schema.json. No .NET SDK or NuGet is available to
 * compile it, so this reads the generated sources: project name, namespace, package reference and
 * version from the schema; one class per resource with the schema's type token, outputs and inputs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const DOTNET = path.join(ROOT, 'sdk', 'dotnet');

interface ResourceSpec {
  inputProperties?: Record<string, unknown>;
  properties?: Record<string, unknown>;
  requiredInputs?: string[];
}
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schema.json'), 'utf8')) as {
  name: string;
  version: string;
  language: { csharp: { rootNamespace: string; packageReferences: Record<string, string> } };
  provider: ResourceSpec;
  resources: Record<string, ResourceSpec>;
};

/** As the generator names a package: "sync-hooks" -> "SyncHooks". */
const pascal = (s: string) =>
  s
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
const namespace = `${schema.language.csharp.rootNamespace}.${pascal(schema.name)}`;
const read = (f: string) => fs.readFileSync(path.join(DOTNET, f), 'utf8');

/** The names in `[Output("x")]` / `[Input("x", …)]` attributes of one class's source. */
function attributes(src: string, kind: 'Input' | 'Output'): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of src.matchAll(new RegExp(`\\[${kind}\\("([^"]+)"([^\\]]*)\\)\\]`, 'g'))) found.set(m[1], m[2]);
  return found;
}

/** The source of `class <name>` up to the next top-level class (or the end). */
function classBody(src: string, name: string): string {
  const start = src.search(new RegExp(`public (?:sealed |partial )*class ${name}\\b`));
  expect(start).toBeGreaterThanOrEqual(0);
  const next = src.slice(start + 1).search(/\n {4}public (?:sealed |partial )*class /);
  return next < 0 ? src.slice(start) : src.slice(start, start + 1 + next);
}

test('the project is named after the schema: csproj, version, Pulumi package reference, plugin file', () => {
  const csproj = read(`${namespace}.csproj`);
  expect(csproj).toContain(`<Version>${schema.version}</Version>`);
  for (const [pkg, version] of Object.entries(schema.language.csharp.packageReferences)) {
    expect(csproj).toContain(`<PackageReference Include="${pkg}" Version="${version}"`);
  }
  expect(read('version.txt').trim()).toBe(schema.version);
  expect(JSON.parse(read('pulumi-plugin.json'))).toEqual({ resource: true, name: schema.name, version: schema.version });
  expect(fs.statSync(path.join(DOTNET, 'logo.png')).size).toBeGreaterThan(0);
});

test.each(Object.keys(schema.resources))('resource %s is a class with the schema inputs and outputs', (token) => {
  const spec = schema.resources[token];
  const name = token.split(':')[2];
  const src = read(`${name}.cs`);
  expect(src).toContain(`namespace ${namespace}\n`);
  expect(src).toContain(`[${pascal(schema.name)}ResourceType("${token}")]\n    public partial class ${name} : global::Pulumi.CustomResource`);

  const outputs = attributes(classBody(src, name), 'Output');
  expect([...outputs.keys()].sort()).toEqual(Object.keys(spec.properties ?? {}).sort());

  const inputs = attributes(classBody(src, `${name}Args`), 'Input');
  expect([...inputs.keys()].sort()).toEqual(Object.keys(spec.inputProperties ?? {}).sort());
  const required = [...inputs].filter(([, rest]) => rest.includes('required: true')).map(([k]) => k);
  expect(required.sort()).toEqual([...(spec.requiredInputs ?? [])].sort());
});

test('the provider takes the schema provider configuration, secrets as secrets', () => {
  const src = read('Provider.cs');
  expect(src).toContain(`[${pascal(schema.name)}ResourceType("pulumi:providers:${schema.name}")]`);
  const inputs = attributes(classBody(src, 'ProviderArgs'), 'Input');
  expect([...inputs.keys()].sort()).toEqual(Object.keys(schema.provider.inputProperties ?? {}).sort());
  const body = classBody(src, 'ProviderArgs');
  for (const [key, prop] of Object.entries(schema.provider.inputProperties ?? {}) as Array<[string, { secret?: boolean }]>) {
    const from = body.indexOf(`[Input("${key}")]`);
    const next = body.indexOf('[Input(', from + 1);
    const field = body.slice(from, next < 0 ? undefined : next);
    expect([key, field.includes('Output.CreateSecret')]).toEqual([key, Boolean(prop.secret)]);
  }
});
