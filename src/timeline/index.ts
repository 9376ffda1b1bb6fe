/** The operation timeline: a pure renderer from the engine's events to a self-contained HTML page. */
export { renderTimeline, renderSvg } from './render';
export type { TimelineOptions } from './render';
export { timelineModel } from './model';
export type { Band, Bar, BarKind, BarState, Gap, TimelineModel } from './model';
export { writeTimelineFile } from './write';
