// What a plain object is made of: its headers (HEAD) and a text or hex preview of its first KiB (a Range GET).
import { useEffect, useMemo, useState } from 'react';
import type { ErrorValue, ObjectPeek, ObjectStat } from '../../../app/rpc/contract.ts';
import { call, toErrorValue } from '../rpc/client.ts';
import { exactBytes, humanBytes } from '../lib/format.ts';
import { ErrorCallout, HeaderTable, Spinner } from './common.tsx';

const PREVIEW_BYTES = 1024;

type Loaded = { stat: ObjectStat; peek: ObjectPeek } | { error: ErrorValue };

/** `version` changes on every reload of the viewer, so headers and preview are read again with it. */
export function ObjectDetails({ container, object, version }: { container: string; object: string; version: unknown }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  useEffect(() => {
    let live = true;
    setLoaded(null);
    Promise.all([call('objects.stat', { container, object }), call('objects.peek', { container, object, bytes: PREVIEW_BYTES })])
      .then(([stat, peek]) => live && setLoaded({ stat, peek }))
      .catch((e: unknown) => live && setLoaded({ error: toErrorValue(e) }));
    return () => {
      live = false;
    };
  }, [container, object, version]);

  if (loaded === null) {
    return (
      <div className="muted">
        <Spinner label="Reading headers and preview" /> Reading headers and the first KiB…
      </div>
    );
  }
  if ('error' in loaded) return <ErrorCallout error={loaded.error} title="Could not read the object's headers or preview" />;
  return (
    <div className="object-details">
      <Headers headers={loaded.stat.headers} />
      <Preview peek={loaded.peek} />
    </div>
  );
}

function Headers({ headers }: { headers: Record<string, string> }) {
  return (
    <section className="object-headers" aria-label="Headers">
      <h3>Headers</h3>
      <HeaderTable headers={headers} />
    </section>
  );
}

function Preview({ peek }: { peek: ObjectPeek }) {
  const bytes = useMemo(() => Uint8Array.from(atob(peek.base64), (c) => c.charCodeAt(0)), [peek.base64]);
  const [mode, setMode] = useState<'text' | 'hex'>(peek.text !== null ? 'text' : 'hex');
  const of = bytes.length < peek.total ? `first ${exactBytes(bytes.length)} of ${humanBytes(peek.total)}` : `all ${exactBytes(bytes.length)}`;
  return (
    <section className="object-preview" aria-label="Preview">
      <div className="preview-head">
        <h3>Preview</h3>
        <span className="muted small">{of}</span>
        <span className="toolbar-spacer" />
        <div className="segmented" role="radiogroup" aria-label="Preview as">
          {(['text', 'hex'] as const).map((m) => (
            <label key={m} className={mode === m ? 'active' : ''}>
              <input type="radio" name="preview-mode" checked={mode === m} disabled={m === 'text' && peek.text === null} onChange={() => setMode(m)} />
              {m === 'text' ? 'Text' : 'Hex'}
            </label>
          ))}
        </div>
      </div>
      {bytes.length === 0 ? (
        <div className="muted pad">The object is empty.</div>
      ) : (
        <pre className="json preview-body" tabIndex={0} aria-label={mode === 'text' ? 'Text preview' : 'Hex preview'}>
          {mode === 'text' && peek.text !== null ? peek.text : hexDump(bytes)}
        </pre>
      )}
      {peek.text === null && bytes.length > 0 && <div className="muted small">Not text (binary or not UTF-8): shown as hex.</div>}
    </section>
  );
}

/** Classic 16-bytes-a-line dump: offset, hex pairs, printable ASCII. */
export function hexDump(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let off = 0; off < bytes.length; off += 16) {
    const row = bytes.subarray(off, off + 16);
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${off.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  return lines.join('\n');
}
