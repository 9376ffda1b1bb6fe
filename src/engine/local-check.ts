/**
 * Objects the API server checks only by rules that are known and simple: a v1 ConfigMap, or a v1
 * Secret of type Opaque, with nothing but name, namespace, labels and annotations in its metadata
 * (ValidateConfigMap / ValidateSecret and ValidateObjectMeta of k8s.io/kubernetes, with
 * fieldValidation=Strict's unknown-field check). `surelyValid` says yes only when every one of
 * those rules holds; it never reports a problem: anything it is not sure about goes to the
 * server's dry run, which reports it. Pure.
 */
import { KubeObject } from '../model';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DATA_KEY = /^[-._a-zA-Z0-9]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** Below the server's limits (1 MiB of data, 256 KiB of annotations), with room to spare. */
const MAX_DATA_BYTES = 1_000_000;
const MAX_ANNOTATION_BYTES = 250_000;

const TOP_LEVEL: Record<string, ReadonlySet<string>> = {
  ConfigMap: new Set(['apiVersion', 'kind', 'metadata', 'data', 'binaryData', 'immutable']),
  Secret: new Set(['apiVersion', 'kind', 'metadata', 'data', 'stringData', 'type', 'immutable']),
};
/** The metadata fields an object judged locally may have. */
export const PLAIN_METADATA: ReadonlySet<string> = new Set(['name', 'namespace', 'labels', 'annotations']);

export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

export function dnsSubdomain(s: unknown): boolean {
  return typeof s === 'string' && s.length <= 253 && DNS1123_SUBDOMAIN.test(s);
}

/** A label or annotation key: `[prefix/]name`, the prefix a DNS subdomain, the name ≤ 63 characters. */
function qualifiedName(key: string): boolean {
  const parts = key.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  if (parts.length === 2 && !dnsSubdomain(parts[0])) return false;
  return name.length <= 63 && QUALIFIED_NAME.test(name);
}

export function labelsOk(labels: unknown): boolean {
  if (labels === undefined) return true;
  if (!isPlainObject(labels)) return false;
  return Object.entries(labels).every(([k, v]) => qualifiedName(k) && typeof v === 'string' && (v === '' || (v.length <= 63 && QUALIFIED_NAME.test(v))));
}

export function annotationsOk(annotations: unknown): boolean {
  if (annotations === undefined) return true;
  if (!isPlainObject(annotations)) return false;
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) {
    if (typeof v !== 'string' || !qualifiedName(k.toLowerCase())) return false;
    size += bytes(k) + bytes(v);
  }
  return size <= MAX_ANNOTATION_BYTES;
}

function metadataOk(meta: unknown): boolean {
  if (!isPlainObject(meta)) return false;
  if (!Object.keys(meta).every((k) => PLAIN_METADATA.has(k))) return false;
  if (!dnsSubdomain(meta.name)) return false;
  if (meta.namespace !== undefined && !(typeof meta.namespace === 'string' && meta.namespace.length <= 63 && DNS1123_LABEL.test(meta.namespace))) return false;
  return labelsOk(meta.labels) && annotationsOk(meta.annotations);
}

function dataKey(k: string): boolean {
  return k.length <= 253 && DATA_KEY.test(k) && k !== '.' && !k.startsWith('..');
}

/** The bytes of a map of strings (base64: decoded), or -1 when a key or value is not acceptable. */
function mapBytes(m: unknown, base64: boolean): number {
  if (m === undefined) return 0;
  if (!isPlainObject(m)) return -1;
  let size = 0;
  for (const [k, v] of Object.entries(m)) {
    if (!dataKey(k) || typeof v !== 'string') return -1;
    if (base64 && !BASE64.test(v)) return -1;
    size += base64 ? (v.length / 4) * 3 : bytes(v);
  }
  return size;
}

/** True when the API server surely accepts `obj` (see the module comment); false means "ask the server". */
export function surelyValid(obj: KubeObject): boolean {
  if (obj.apiVersion !== 'v1') return false;
  const allowed = TOP_LEVEL[obj.kind];
  if (!allowed) return false;
  const o = obj as unknown as Record<string, unknown>;
  if (!Object.keys(o).every((k) => allowed.has(k))) return false;
  if (o.immutable !== undefined && typeof o.immutable !== 'boolean') return false;
  if (!metadataOk(o.metadata)) return false;
  let a: number;
  let b: number;
  if (obj.kind === 'ConfigMap') {
    a = mapBytes(o.data, false);
    b = mapBytes(o.binaryData, true);
    if (a >= 0 && b >= 0 && isPlainObject(o.data) && isPlainObject(o.binaryData) && Object.keys(o.data).some((k) => k in (o.binaryData as object))) return false;
  } else {
    if (o.type !== undefined && o.type !== 'Opaque') return false;
    a = mapBytes(o.data, true);
    b = mapBytes(o.stringData, false);
  }
  return a >= 0 && b >= 0 && a + b <= MAX_DATA_BYTES;
}
