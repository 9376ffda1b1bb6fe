/** `pulumi-sync-hooks/cli`: the `sync-hooks` command line as a function (`bin/sync-hooks.js` calls it). */
export { main } from './main';
