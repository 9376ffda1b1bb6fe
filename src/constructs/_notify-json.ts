/**
 * Internal: JSON bodies of the notification script. A body is built at synth time with markers
 * where run-time values go (the message, a routing key from a Secret, the engine's failure
 * details); the script concatenates the constant parts (env vars) with the JSON-escaped values,
 * so no value can break out of its JSON string or its shell quoting.
 * @internal
 */
import type { EnvValue } from './pod';
import { Problems, quote } from './_validate';

/** The part of the script and the env that one channel adds. */
export interface Channel {
  env: Record<string, EnvValue>;
  script: string;
}

/** POSTs (or PUTs) the JSON body rebuilt by `bodyExpr` to `$NOTIFY_URL`. */
export function httpScript(method: string, headers: readonly string[], bodyExpr: string): string {
  const h = headers.map((x) => ` -H ${x}`).join('');
  return [
    `body=${bodyExpr}`,
    `curl -fsS --max-time 20 --retry 2 -X ${method} -H 'Content-Type: application/json'${h} --data-binary "$body" "$NOTIFY_URL"`,
  ].join('\n');
}

/** Run-time values a body can contain, and the shell expression of each. */
const SLOTS = {
  message: '"$msg"',
  routingKey: '"$NOTIFY_ROUTING_KEY"',
  failedPhase: '"${SYNC_HOOKS_FAILED_PHASE:-}"',
  failedObject: '"${SYNC_HOOKS_FAILED_OBJECT:-}"',
  failureMessage: '"${SYNC_HOOKS_FAILURE_MESSAGE:-}"',
} as const;
export type Slot = keyof typeof SLOTS;

const MARKER_PREFIX = '@@SYNC_HOOKS_SLOT_';
const MARKER = /@@SYNC_HOOKS_SLOT_([A-Za-z]+)@@/;

/** The text standing for a run-time value inside a JSON string of a body. */
export function slot(name: Slot): string {
  return `${MARKER_PREFIX}${name}@@`;
}

/** JSON-escapes a shell variable's text (POSIX tools only: tr, sed, awk). */
export const JSON_ESCAPE_FN = [
  'json_escape() {',
  "  printf '%s' \"$1\" | tr -d '\\000-\\010\\013-\\037' | tr '\\t' ' ' | sed -e 's/\\\\/\\\\\\\\/g' -e 's/\"/\\\\\"/g' \\",
  "    | awk 'NR > 1 { printf \"\\\\n\" } { printf \"%s\", $0 }'",
  '}',
].join('\n');

/**
 * Splits `body` at its slots: the constant parts become env vars `NOTIFY_BODY_<i>`, and `expr` is
 * the shell word that rebuilds the body at run time.
 */
export function jsonBody(p: Problems, prop: string, body: unknown): { env: Record<string, string>; expr: string } {
  const parts = JSON.stringify(body).split(MARKER);
  const env: Record<string, string> = {};
  let expr = '';
  parts.forEach((part, i) => {
    if (i % 2 === 0) {
      if (part.includes(MARKER_PREFIX)) p.add(prop, `must not contain the text ${MARKER_PREFIX}`);
      env[`NOTIFY_BODY_${i / 2}`] = part;
      expr += `$NOTIFY_BODY_${i / 2}`;
    } else if (part in SLOTS) {
      expr += `$(json_escape ${SLOTS[part as Slot]})`;
    } else p.add(prop, `must not contain the text ${MARKER_PREFIX}`);
  });
  return { env, expr: `"${expr}"` };
}

/** Placeholders of a webhook body template: static ones are replaced at synth time. */
const TEMPLATE_SLOTS: Record<string, Slot> = {
  message: 'message',
  failedPhase: 'failedPhase',
  failedObject: 'failedObject',
  failureMessage: 'failureMessage',
};
const PLACEHOLDER = /\{([A-Za-z]+)\}/g;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Resolves a nested JSON body template: in every string value, `{app}` and `{phase}` become their
 * values, `{message}`, `{failedPhase}`, `{failedObject}` and `{failureMessage}` are filled at run
 * time. Unknown placeholders and non-JSON values are reported at their path.
 */
export function resolveTemplate(p: Problems, prop: string, v: unknown, vars: { app?: string; phase: string }): unknown {
  if (typeof v === 'string') {
    if (v.includes(MARKER_PREFIX)) p.add(prop, `must not contain the text ${MARKER_PREFIX}`);
    return v.replace(PLACEHOLDER, (all, name: string) => {
      if (name === 'phase') return vars.phase;
      if (name === 'app') {
        if (vars.app === undefined) p.add(prop, "uses {app} but 'appName' is not set");
        return vars.app ?? '';
      }
      if (name in TEMPLATE_SLOTS) return slot(TEMPLATE_SLOTS[name]);
      p.add(prop, `unknown placeholder ${all} (expected {app}, {phase}, ${Object.keys(TEMPLATE_SLOTS).map((k) => `{${k}}`).join(', ')})`);
      return all;
    });
  }
  if (v === null || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) p.add(prop, `must be a finite number, got ${v}`);
    return v;
  }
  if (Array.isArray(v)) return v.map((x, i) => resolveTemplate(p, `${prop}[${i}]`, x, vars));
  if (isObject(v) && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolveTemplate(p, `${prop}.${k}`, x, vars)]));
  }
  p.add(prop, `must be a JSON value (string, number, boolean, null, array or plain object), got ${quote(v === undefined ? 'undefined' : typeof v)}`);
  return null;
}
