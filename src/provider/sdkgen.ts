/**
 * The SDKs under sdk/ are generated from schema.json with `pulumi package gen-sdk`, using the
 * toolchain's pulumi and the code-generation-only language hosts (toolchain part `sdk-gen`), and
 * for .NET with `pulumi-sdkgen-dotnet` (part `sdk-gen-dotnet`; no language host for .NET here).
 * `npm run sdk` regenerates them; `npm run sdk:check` fails when they differ from what
 * regeneration produces. sdk/schema.sha256 records the schema they were generated from, so a unit
 * test notices a schema change without running the generators.
 */
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureToolchain } from '../localcluster/toolchain';
import { pulumiEnv } from '../pulumi/workspace';

/** Languages `pulumi package gen-sdk` can generate with the hosts we build. */
export const GEN_SDK_LANGUAGES = ['nodejs', 'python', 'go'] as const;
/** Every SDK under sdk/: the gen-sdk ones and .NET (tools/pulumi-sdkgen-dotnet). */
export const SDK_LANGUAGES = [...GEN_SDK_LANGUAGES, 'dotnet'] as const;

export const ROOT = path.resolve(__dirname, '..', '..');

export function schemaDigest(root = ROOT): string {
  return crypto.createHash('sha256').update(fs.readFileSync(path.join(root, 'schema.json'))).digest('hex');
}

function listFiles(dir: string, base = dir): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? listFiles(p, base) : [path.relative(base, p)];
  });
}

/** Files that differ between two trees (added, removed or changed), relative paths. */
export function treeDiff(a: string, b: string): string[] {
  const fa = new Set(listFiles(a));
  const fb = new Set(listFiles(b));
  const out: string[] = [];
  for (const f of new Set([...fa, ...fb])) {
    if (!fa.has(f) || !fb.has(f) || !fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(b, f)))) out.push(f);
  }
  return out.sort();
}

export interface GenerateResult {
  dir: string;
  languages: string[];
  failed: Array<{ language: string; message: string }>;
}

/**
 * Runs `pulumi package gen-sdk schema.json --language <lang>` for each gen-sdk language, and
 * `pulumi-sdkgen-dotnet schema.json <dir>/dotnet` for .NET, into a temp dir.
 */
export async function generateSdks(languages: readonly string[] = SDK_LANGUAGES): Promise<GenerateResult> {
  const dotnet = languages.includes('dotnet');
  const tc = await ensureToolchain({ parts: ['pulumi', 'sdk-gen', ...(dotnet ? (['sdk-gen-dotnet'] as const) : [])] });
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-hooks-sdk-'));
  const env = { ...process.env, ...pulumiEnv(tc, path.join(out, '.state')) };
  // The codegen hosts first, only for this command (they run no programs).
  env.PATH = [tc.sdkGenBinDir, env.PATH].join(path.delimiter);
  const schema = path.join(ROOT, 'schema.json');
  const result: GenerateResult = { dir: out, languages: [], failed: [] };
  for (const language of languages) {
    const [cmd, args] =
      language === 'dotnet'
        ? [tc.sdkGenDotnet!, [schema, path.join(out, 'dotnet')]]
        : [tc.pulumi, ['package', 'gen-sdk', schema, '--language', language, '--out', out]];
    const r = spawnSync(cmd, args, { cwd: ROOT, env, encoding: 'utf8', timeout: 300_000 });
    if (r.status === 0) result.languages.push(language);
    else result.failed.push({ language, message: `${r.stderr || r.stdout || r.error?.message}`.trim() });
  }
  return result;
}

/** Regenerates sdk/<language> (and sdk/schema.sha256), or with `check` reports the files that differ. */
export async function syncSdks(opts: { check?: boolean; log?: (s: string) => void } = {}): Promise<{ differences: string[]; failed: GenerateResult['failed'] }> {
  const log = opts.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const gen = await generateSdks();
  const differences: string[] = [];
  try {
    for (const language of gen.languages) {
      const fresh = path.join(gen.dir, language);
      const committed = path.join(ROOT, 'sdk', language);
      if (opts.check) differences.push(...treeDiff(committed, fresh).map((f) => `sdk/${language}/${f}`));
      else {
        fs.rmSync(committed, { recursive: true, force: true });
        fs.cpSync(fresh, committed, { recursive: true });
        log(`generated sdk/${language}`);
      }
    }
    const digestFile = path.join(ROOT, 'sdk', 'schema.sha256');
    if (opts.check) {
      if (!fs.existsSync(digestFile) || fs.readFileSync(digestFile, 'utf8').trim() !== schemaDigest()) differences.push('sdk/schema.sha256');
    } else fs.writeFileSync(digestFile, `${schemaDigest()}\n`);
    for (const f of gen.failed) log(`could not generate ${f.language}: ${f.message}`);
    return { differences, failed: gen.failed };
  } finally {
    fs.rmSync(gen.dir, { recursive: true, force: true });
  }
}
