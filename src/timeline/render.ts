/**
 * Renders an operation's timeline as one self-contained HTML page (inline SVG and CSS, no script,
 * nothing fetched): a Gantt chart with phases and waves as bands, a bar per object (apply → ready,
 * prune, delete) and per hook run, failures in red, SyncFail, and the idle gaps between waves.
 * Pure: events in, HTML out.
 */
import type { EngineEvent } from '../engine/events';
import { Bar, secs, timelineModel, TimelineModel } from './model';

export interface TimelineOptions {
  /** Page title, e.g. the application's name. @default 'sync-hooks' */
  readonly title?: string;
}

const LABEL_W = 330;
const CHART_W = 900;
const ROW_H = 22;
const BAND_H = 22;
const AXIS_H = 24;
const PAD = 10;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function niceStep(totalMs: number): number {
  const target = totalMs / 8;
  const steps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000];
  return steps.find((s) => s >= target) ?? 3_600_000;
}

const STATE_WORD: Record<Bar['state'], string> = { ok: '', failed: ' (failed)', terminated: ' (terminated)', open: '' };

/** The model drawn as SVG markup. */
export function renderSvg(m: TimelineModel): string {
  const total = Math.max(1, m.durationMs, ...m.bars.map((b) => b.end), ...m.bands.map((b) => b.end));
  const x = (ms: number) => LABEL_W + (ms / total) * CHART_W;
  const w = (a: number, b: number) => Math.max(2, ((b - a) / total) * CHART_W);
  const bars = [...m.bars].sort((a, b) => a.start - b.start || a.end - b.end);
  const top = PAD + 2 * BAND_H + AXIS_H;
  const height = top + bars.length * ROW_H + PAD + 20;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="timeline" width="${LABEL_W + CHART_W + PAD}" height="${height}" viewBox="0 0 ${LABEL_W + CHART_W + PAD} ${height}" role="img">`);
  out.push(
    '<defs><pattern id="idle" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#c9cdd2" stroke-width="3"/></pattern></defs>',
  );
  // Wave stripes behind the bars, then idle gaps.
  m.bands.forEach((b, i) => {
    if (b.level === 'phase') return;
    const cls = `band ${b.level}${b.failed ? ' failed' : ''}`;
    out.push(
      `<rect class="${cls} stripe" x="${x(b.start).toFixed(1)}" y="${top}" width="${w(b.start, b.end).toFixed(1)}" height="${bars.length * ROW_H}" data-index="${i}"/>`,
    );
  });
  for (const g of m.gaps) {
    out.push(
      `<rect class="gap" x="${x(g.start).toFixed(1)}" y="${PAD}" width="${w(g.start, g.end).toFixed(1)}" height="${height - PAD - 20 - PAD}" fill="url(#idle)" data-start="${g.start}" data-end="${g.end}"><title>idle ${secs(g.end - g.start)} between waves</title></rect>`,
    );
    if (w(g.start, g.end) > 60) out.push(`<text class="idle" x="${(x(g.start) + w(g.start, g.end) / 2).toFixed(1)}" y="${PAD + BAND_H - 8}">idle ${secs(g.end - g.start)}</text>`);
  }
  // Band rows: phases (and SyncFail) on top, waves below.
  for (const b of m.bands) {
    const y = b.level === 'wave' ? PAD + BAND_H : PAD;
    const cls = `band ${b.level}${b.failed ? ' failed' : ''}`;
    const bw = w(b.start, b.end);
    out.push(
      `<g class="${cls}" data-label="${escapeHtml(b.label)}" data-start="${b.start}" data-end="${b.end}"><rect x="${x(b.start).toFixed(1)}" y="${y}" width="${bw.toFixed(1)}" height="${BAND_H - 3}" rx="3"/><title>${escapeHtml(b.label)}: ${secs(b.end - b.start)}${b.failed ? ' (failed)' : ''}</title>${
        bw > 30 ? `<text x="${(x(b.start) + 4).toFixed(1)}" y="${y + BAND_H - 8}">${escapeHtml(b.label)}</text>` : ''
      }</g>`,
    );
  }
  out.push(`<text class="rowlabel" x="${PAD}" y="${PAD + BAND_H - 8}">phase</text><text class="rowlabel" x="${PAD}" y="${PAD + 2 * BAND_H - 8}">wave</text>`);
  // Axis.
  const step = niceStep(total);
  const axisY = PAD + 2 * BAND_H + AXIS_H - 6;
  for (let t = 0; t <= total; t += step) {
    out.push(`<line class="tick" x1="${x(t).toFixed(1)}" y1="${axisY + 2}" x2="${x(t).toFixed(1)}" y2="${top + bars.length * ROW_H}"/>`);
    out.push(`<text class="axis" x="${x(t).toFixed(1)}" y="${axisY}">${secs(t)}</text>`);
  }
  // Bars.
  bars.forEach((b, i) => {
    const y = top + i * ROW_H;
    const label = `${b.kind === 'hook' ? 'hook ' : b.kind === 'prune' ? 'prune ' : b.kind === 'delete' ? 'delete ' : ''}${b.object}`;
    const where = b.phase !== undefined ? `${b.phase}${b.wave !== undefined ? ` wave ${b.wave}` : ''}: ` : '';
    out.push(
      `<g class="row"><text class="label${b.state === 'failed' ? ' failed' : ''}" x="${PAD}" y="${y + ROW_H - 7}">${escapeHtml(label.length > 48 ? `${label.slice(0, 47)}…` : label)}</text>` +
        `<rect class="bar ${b.kind} ${b.state}" x="${x(b.start).toFixed(1)}" y="${y + 4}" width="${w(b.start, b.end).toFixed(1)}" height="${ROW_H - 8}" rx="2" data-kind="${b.kind}" data-state="${b.state}" data-object="${escapeHtml(b.object)}" data-start="${b.start}" data-end="${b.end}">` +
        `<title>${escapeHtml(`${where}${label}${STATE_WORD[b.state]}: ${b.note}`)}</title></rect></g>`,
    );
  });
  if (m.failure) {
    const fx = x(m.failure.at).toFixed(1);
    out.push(
      `<g class="failure"><line x1="${fx}" y1="${PAD}" x2="${fx}" y2="${top + bars.length * ROW_H}"/><title>${escapeHtml(`${m.failure.reason}: ${m.failure.message}`)}</title></g>`,
    );
  }
  out.push(`<text class="axis" x="${LABEL_W}" y="${height - 8}">time since the ${m.operation === 'unknown' ? 'operation' : m.operation} started</text>`);
  out.push('</svg>');
  return out.join('\n');
}

const CSS = `
body{font:13px system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:16px;color:#202124;background:#fff}
h1{font-size:18px;margin:0 0 4px}.meta{color:#5f6368;margin:0 0 8px}.failure-text{color:#d93025;white-space:pre-wrap;margin:0 0 8px}
svg text{font-size:11px;fill:#202124}svg text.axis{fill:#5f6368;text-anchor:middle}svg text.rowlabel{fill:#5f6368}svg text.idle{fill:#5f6368;text-anchor:middle;font-style:italic}
.band rect,.band.stripe{fill:#e8f0fe;stroke:#aecbfa}.band.phase rect{fill:#d2e3fc}.band.syncfail rect{fill:#fce8e6;stroke:#d93025}
.band.failed rect{stroke:#d93025;stroke-width:2}.stripe{fill:#f1f6fe;stroke:none}.stripe.failed{fill:#fdf1f0}.stripe.syncfail{fill:#fdf1f0}
.tick{stroke:#eceff1}.bar.object{fill:#4c8bf5}.bar.hook{fill:#2e9e5b}.bar.prune,.bar.delete{fill:#8e7cc3}
.bar.failed{fill:#d93025}.bar.terminated{fill:#e8710a}.bar.open{fill:#9aa0a6}.label.failed{fill:#d93025;font-weight:600}
.failure line{stroke:#d93025;stroke-width:2;stroke-dasharray:4 3}
.legend span{display:inline-block;margin-right:14px}.legend i{display:inline-block;width:12px;height:10px;margin-right:4px;vertical-align:middle}
`;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function legend(): string {
  const item = (color: string, text: string) => `<span><i style="background:${color}"></i>${text}</span>`;
  return `<p class="legend">${[
    item('#4c8bf5', 'object: apply → ready'),
    item('#2e9e5b', 'hook run'),
    item('#8e7cc3', 'prune / delete'),
    item('#d93025', 'failed'),
    item('#e8710a', 'terminated'),
    item('#9aa0a6', 'not awaited / unfinished'),
    '<span><i style="background:repeating-linear-gradient(45deg,#c9cdd2 0 3px,#fff 3px 6px)"></i>idle between waves</span>',
  ].join('')}</p>`;
}

/** The whole page. */
export function renderTimeline(events: readonly EngineEvent[], opts: TimelineOptions = {}): string {
  const m = timelineModel(events);
  const title = opts.title ?? 'sync-hooks';
  const hooks = m.bars.filter((b) => b.kind === 'hook');
  const meta = [
    `${m.operation === 'unknown' ? 'operation' : m.operation} ${m.status === 'Running' ? 'unfinished' : m.status.toLowerCase()} in ${secs(m.durationMs)}`,
    m.startedAt ? `started ${m.startedAt}` : '',
    m.operationId ? `operation ${m.operationId.slice(0, 12)}` : '',
    `${plural(m.bars.filter((b) => b.kind === 'object').length, 'object')}, ${plural(hooks.length, 'hook run')}`,
    m.gaps.length ? `idle between waves ${secs(m.gaps.reduce((s, g) => s + g.end - g.start, 0))}` : '',
  ].filter(Boolean);
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(title)}: ${escapeHtml(m.operation)} timeline</title>`,
    `<style>${CSS}</style></head><body>`,
    `<h1>${escapeHtml(title)}: ${escapeHtml(m.operation === 'unknown' ? 'operation' : m.operation)} ${m.status === 'Failed' ? '<span style="color:#d93025">FAILED</span>' : escapeHtml(m.status.toLowerCase())}</h1>`,
    `<p class="meta">${escapeHtml(meta.join(' · '))}</p>`,
    m.failure ? `<p class="failure-text">${escapeHtml(`${m.failure.reason}: ${m.failure.message}`)}</p>` : '',
    legend(),
    renderSvg(m),
    '</body></html>',
    '',
  ].join('\n');
}
