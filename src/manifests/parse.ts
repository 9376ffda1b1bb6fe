/**
 * Parsing of multi-document YAML (and JSON) text into Kubernetes objects. YAML is read with 1.1
 * scalars, as kubectl reads it (`0644` is octal, `yes` is a boolean), but without timestamps and
 * base-60 numbers, which kubectl keeps as strings. `kind: List` (and `*List` with `items`) is
 * flattened.
 */
import { Document, isMap, LineCounter, Node, parseAllDocuments, Tags } from 'yaml';
import { KubeObject } from '../model';
import { ManifestProblem, throwIfProblems } from './errors';
import { recordSource } from './source';

export interface ParseResult {
  objects: KubeObject[];
  problems: ManifestProblem[];
}

type Tag = Tags[number];
const KUBECTL_INCOMPATIBLE = (t: Tag): boolean =>
  typeof t === 'string' ? ['timestamp', 'intTime', 'floatTime'].includes(t) : t.tag.endsWith(':timestamp') || ('format' in t && t.format === 'TIME');

function parseOptions(sourceName: string, lineCounter: LineCounter) {
  if (sourceName.toLowerCase().endsWith('.json')) return { lineCounter, prettyErrors: false, version: '1.2' as const, schema: 'json' };
  return { lineCounter, prettyErrors: false, version: '1.1' as const, customTags: (tags: Tags) => tags.filter((t) => !KUBECTL_INCOMPATIBLE(t)) };
}

function isList(v: Record<string, unknown>): boolean {
  return typeof v.kind === 'string' && (v.kind === 'List' || v.kind.endsWith('List')) && Array.isArray(v.items);
}

interface Ctx {
  sourceName: string;
  lines: LineCounter;
  out: ParseResult;
}

function where(ctx: Ctx, node: unknown): string {
  const range = (node as Node | undefined)?.range;
  return range ? `${ctx.sourceName}:${ctx.lines.linePos(range[0]).line}` : ctx.sourceName;
}

/** Adds `value` (an object, a List or, from JSON, an array) found at `node` in document `label`. */
function collect(ctx: Ctx, value: unknown, node: unknown, label: string): void {
  if (Array.isArray(value)) {
    const items = (node as { items?: unknown[] } | undefined)?.items;
    value.forEach((v, i) => collect(ctx, v, items?.[i], `${label}, item ${i + 1}`));
    return;
  }
  if (value === null || typeof value !== 'object') {
    const got = value === null ? 'null' : typeof value;
    ctx.out.problems.push({ source: where(ctx, node), object: label, field: '', message: `is not a Kubernetes object (got ${got})` });
    return;
  }
  const obj = value as Record<string, unknown>;
  if (isList(obj)) {
    const itemsNode = isMap(node) ? node.get('items', true) : undefined;
    collect(ctx, obj.items, itemsNode, label);
    return;
  }
  ctx.out.objects.push(recordSource(obj as KubeObject, where(ctx, node)));
}

function addDocument(ctx: Ctx, doc: Document.Parsed, index: number): void {
  const label = `document ${index + 1}`;
  const [err] = doc.errors; // later errors in a document are mostly consequences of the first
  if (err) {
    const { line, col } = ctx.lines.linePos(err.pos[0]);
    ctx.out.problems.push({ source: `${ctx.sourceName}:${line}:${col}`, object: label, field: '', message: `invalid YAML: ${err.message}` });
    return;
  }
  if (doc.contents === null) return;
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    ctx.out.problems.push({ source: where(ctx, doc.contents), object: label, field: '', message: `invalid YAML: ${(e as Error).message}` });
    return;
  }
  if (value === null || value === undefined) return;
  collect(ctx, value, doc.contents, label);
}

/** Parses manifest text, returning the objects and any problems (never throws). */
export function readManifestText(text: string, sourceName: string): ParseResult {
  const lines = new LineCounter();
  const ctx: Ctx = { sourceName, lines, out: { objects: [], problems: [] } };
  parseAllDocuments(text, parseOptions(sourceName, lines)).forEach((doc, i) => addDocument(ctx, doc as Document.Parsed, i));
  return ctx.out;
}

/** Parses manifest text (multi-document YAML, or JSON), throwing ManifestValidationError on bad syntax. */
export function parseManifestText(text: string, sourceName: string): KubeObject[] {
  const { objects, problems } = readManifestText(text, sourceName);
  throwIfProblems(problems);
  return objects;
}
