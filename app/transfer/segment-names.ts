// How an upload names its segments (python-swiftclient's layout), and the reverse: which upload a segment belongs to.
// One place, so the orphan finder and the GUI read names the way the upload writes them.
import { createHash } from 'node:crypto';
import { utf8Length } from '../swift/names.ts';

/** Segment name prefix like python-swiftclient: `<object>/slo/<mtime>/<size>/<segment size>`; hashed when too long. */
export function segmentPrefix(object: string, mtime: string, size: number, segmentSize: number, maxNameLength = 1024): string {
  const tail = `/slo/${mtime}/${size}/${segmentSize}`;
  const p = object + tail;
  if (utf8Length(p) + 9 <= maxNameLength) return p;
  return createHash('sha256').update(object).digest('hex').slice(0, 40) + tail;
}

/** The object whose segmented upload wrote `name` (`<object>/slo/<mtime>/<size>/<segment size>/<n>`), else null. */
export function uploadOfSegment(name: string): string | null {
  return /^(.+)\/slo\/\d+\.\d{6}\/\d+\/\d+\/\d{8}$/.exec(name)?.[1] ?? null;
}
