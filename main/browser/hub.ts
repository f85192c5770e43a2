// The state shared by the browser-mode platform (which the handlers use) and the HTTP/WebSocket server: the session
// token, the event fan-out, pending file pulls and registered downloads. Built first, so neither side needs the other.
import { randomBytes } from 'node:crypto';
import { PullBroker } from './browser-file.ts';
import { DownloadRegistry } from './downloads.ts';
import { EventBus } from './events.ts';

export interface BrowserHub {
  /** 32 random bytes, hex. Every URL of the session starts with /<token>/. */
  readonly token: string;
  readonly events: EventBus;
  readonly pulls: PullBroker;
  readonly downloads: DownloadRegistry;
}

export function createBrowserHub(options: { pullTimeoutMs?: number } = {}): BrowserHub {
  const events = new EventBus();
  return {
    token: randomBytes(32).toString('hex'),
    events,
    pulls: new PullBroker((pull) => events.emit('file.pull', pull), options.pullTimeoutMs),
    downloads: new DownloadRegistry(),
  };
}
