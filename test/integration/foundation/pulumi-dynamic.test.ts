/**
 * The real pulumi CLI (file backend, passphrase secrets) runs a program with a dynamic resource:
 * the provider's create runs on `up`, its delete on `destroy`, in the dynamic-provider process.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { collect, testStack } from '../helpers/pulumi';

const markerProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: any) {
    const fsm = require('fs');
    fsm.writeFileSync(require('path').join(inputs.dir, 'created'), String(process.pid));
    return { id: 'marker', outs: { ...inputs, createdBy: process.pid } };
  },
  async delete(_id: string, props: any) {
    const fsm = require('fs');
    fsm.writeFileSync(require('path').join(props.dir, 'deleted'), String(process.pid));
  },
};

class Marker extends pulumi.dynamic.Resource {
  constructor(name: string, args: { dir: string }) {
    super(markerProvider, name, { ...args, createdBy: undefined }, {});
  }
}

test('pulumi up then destroy runs the dynamic provider create and delete', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'marker-'));
  const t = await testStack(async () => {
    const m = new Marker('m', { dir });
    return { createdBy: (m as any).createdBy };
  });
  try {
    const out: string[] = [];
    const up = await t.stack.up({ onOutput: collect(out) });
    expect(up.summary.result).toBe('succeeded');
    expect(up.summary.resourceChanges?.create).toBe(2); // stack + marker
    const createdBy = Number(fs.readFileSync(path.join(dir, 'created'), 'utf8'));
    expect(createdBy).toBeGreaterThan(0);
    expect(createdBy).not.toBe(process.pid); // ran in the provider plugin process, not in jest
    expect(up.outputs.createdBy.value).toBe(createdBy);
    expect(fs.existsSync(path.join(dir, 'deleted'))).toBe(false);

    const destroy = await t.stack.destroy({ onOutput: collect(out) });
    expect(destroy.summary.result).toBe('succeeded');
    expect(fs.existsSync(path.join(dir, 'deleted'))).toBe(true);
    expect(t.stateText()).toContain('"resources"');
  } finally {
    await t.stack.workspace.removeStack(t.stack.name).catch(() => undefined);
    await t.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
