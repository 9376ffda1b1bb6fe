/**
 * "Printed once per pulumi run": markers live in a directory of the pulumi process (its pid and
 * start time), and making one removes the directories of pulumi processes that are gone and the
 * flat markers of the earlier layout.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { processMarkers } from '../../../src/pulumi/once';

test("first time true, then false; a gone process's markers and old flat markers are removed, a live process's kept", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'once-'));
  try {
    const gone = path.join(tmp, 'sync-hooks-shown-999999999-1');
    fs.mkdirSync(gone);
    fs.writeFileSync(path.join(gone, 'x'), '');
    const legacy = path.join(tmp, 'sync-hooks-shown-0123456789abcdef');
    fs.writeFileSync(legacy, '1');
    // This test process stands for another live pulumi process (its real pid and start time).
    const start = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')[19];
    const live = path.join(tmp, `sync-hooks-shown-${process.pid}-${start}`);
    fs.mkdirSync(live);
    const other = path.join(tmp, 'unrelated');
    fs.mkdirSync(other);

    const store = processMarkers(tmp, process.ppid);
    expect(store.seen('plan a')).toBe(false);
    expect(store.first('plan a')).toBe(true);
    expect(store.first('plan a')).toBe(false);
    expect(store.seen('plan a')).toBe(true);
    expect(store.first('plan b')).toBe(true);
    // Another provider process of the same pulumi process sees the same markers.
    expect(processMarkers(tmp, process.ppid).first('plan a')).toBe(false);

    expect([fs.existsSync(gone), fs.existsSync(legacy), fs.existsSync(live), fs.existsSync(other)]).toEqual([false, false, true, true]);
    const mine = fs.readdirSync(tmp).filter((n) => n.startsWith('sync-hooks-shown-') && path.join(tmp, n) !== live);
    expect(mine).toHaveLength(1);
    expect(fs.readdirSync(path.join(tmp, mine[0]))).toHaveLength(2);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
