/** surelyValid: yes only when every rule the API server applies to the object surely holds. */
import { surelyValid } from '../../../src/engine/local-check';
import { KubeObject } from '../../../src/model';

const cm = (extra: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config', namespace: 'shop', labels: { 'app.kubernetes.io/name': 'shop' }, annotations: { 'example.com/Note': 'any text: ü' }, ...meta }, data: { 'settings.yaml': 'a: 1', KEY_1: 'x' }, ...extra }) as KubeObject;
const secret = (extra: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, data: { password: 'cGFzcw==' }, ...extra }) as KubeObject;

test.each<[string, KubeObject]>([
  ['a plain ConfigMap', cm()],
  ['binaryData in base64', cm({ binaryData: { 'logo.png': 'iVBORw0KGgo=' } })],
  ['immutable', cm({ immutable: true })],
  ['empty label value', cm({}, { labels: { tier: '' } })],
  ['an Opaque Secret with stringData', secret({ type: 'Opaque', stringData: { user: 'ann' } })],
  ['a Secret without type', secret()],
])('valid: %s', (_, obj) => expect(surelyValid(obj)).toBe(true));

test.each<[string, KubeObject]>([
  ['a name with capitals', cm({}, { name: 'AppConfig' })],
  ['a name over 253 characters', cm({}, { name: 'a'.repeat(254) })],
  ['a namespace that is not a DNS label', cm({}, { namespace: 'shop.prod' })],
  ['a label value over 63 characters', cm({}, { labels: { a: 'x'.repeat(64) } })],
  ['a label value with a space', cm({}, { labels: { a: 'x y' } })],
  ['a label key with two slashes', cm({}, { labels: { 'a/b/c': 'x' } })],
  ['a label key prefix that is not a DNS subdomain', cm({}, { labels: { 'Example.com/a': 'x' } })],
  ['a number as label value', cm({}, { labels: { a: 1 } })],
  ['annotations over 256 KiB', cm({}, { annotations: { a: 'x'.repeat(300_000) } })],
  ['a data key with a slash', cm({ data: { 'a/b': 'x' } })],
  ['a data key ".."', cm({ data: { '..': 'x' } })],
  ['a data value that is not a string', cm({ data: { a: 1 } })],
  ['data over 1 MiB', cm({ data: { a: 'x'.repeat(1_100_000) } })],
  ['binaryData that is not base64', cm({ binaryData: { b: 'not base64!' } })],
  ['the same key in data and binaryData', cm({ data: { k: 'x' }, binaryData: { k: 'eA==' } })],
  ['an unknown field', cm({ spec: {} })],
  ['immutable as a string', cm({ immutable: 'true' })],
  ['metadata with ownerReferences', cm({}, { ownerReferences: [] })],
  ['metadata with generateName', cm({}, { generateName: 'x-' })],
  ['a Secret of type kubernetes.io/tls', secret({ type: 'kubernetes.io/tls' })],
  ['Secret data that is not base64', secret({ data: { password: 'pass!' } })],
  ['another apiVersion', { ...cm(), apiVersion: 'v2' } as KubeObject],
  ['another kind', { ...cm(), kind: 'Service' } as KubeObject],
])('the server decides: %s', (_, obj) => expect(surelyValid(obj)).toBe(false));
