/**
 * Prints the ShopChart manifests as YAML:
 *   npx tsc -p tsconfig.json --outDir /tmp/ex; NODE_PATH=$PWD/node_modules node /tmp/ex/examples/constructs-only/synth.js
 */
import { App } from 'cdk8s';
import { ShopChart } from './shop-chart';

const app = new App();
new ShopChart(app, 'shop');
process.stdout.write(app.synthYaml());
