// What Electron main prints on stdout for `npm start` (main/start.ts) while it waits for the app to come up. Only
// printed when SLO_STUDIO_READY_LINE=1, i.e. when started by `npm start`.
export const READY_LINE = 'slo-studio: ready';
/** A second launch found the app already open and handed it its files; `npm start` then exits quietly. */
export const HANDED_OVER_LINE = 'slo-studio: handed over to the open window';
export const LAUNCH_LINES_ENV = 'SLO_STUDIO_READY_LINE';
