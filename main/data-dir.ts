// The data dir rule lives in app/ (upload journals need it too); hosts import it from here as before.
export { defaultDataDir } from '../app/data-dir.ts';
