/** The committed SDKs (sdk/) were generated from the committed schema.json (`npm run sdk` regenerates). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { schemaDigest, SDK_LANGUAGES } from '../../../src/provider/sdkgen';

const ROOT = path.resolve(__dirname, '../../..');

test('sdk/ was generated from this schema.json (run npm run sdk after changing it)', () => {
  expect(fs.readFileSync(path.join(ROOT, 'sdk', 'schema.sha256'), 'utf8').trim()).toBe(schemaDigest(ROOT));
  for (const lang of SDK_LANGUAGES) expect(fs.existsSync(path.join(ROOT, 'sdk', lang))).toBe(true);
});

test('schema.json and the SDKs carry the package version', () => {
  const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
  expect(JSON.parse(fs.readFileSync(path.join(ROOT, 'schema.json'), 'utf8')).version).toBe(version);
  expect(JSON.parse(fs.readFileSync(path.join(ROOT, 'sdk', 'nodejs', 'package.json'), 'utf8')).version).toBe(version);
});
