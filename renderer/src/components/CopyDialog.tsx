// Copy, rename and move with a server-side copy (objects.copy). A large object is copied as its manifest by default,
// so the copy shares the segments; rename and move delete only the old manifest afterwards, never the segments.
import { useEffect, useState } from 'react';
import type { CopyMode, ErrorValue, ObjectStat } from '../../../app/rpc/contract.ts';
import { call, toErrorValue } from '../rpc/client.ts';
import { humanBytes } from '../lib/format.ts';
import { useBrowser } from '../stores/browser.ts';
import { useConnection } from '../stores/connection.ts';
import { useObjOps, type CopyKind } from '../stores/objops.ts';
import { toast } from '../stores/ui.ts';
import { Callout, ErrorCallout, KindBadge, Modal } from './common.tsx';

const TITLE: Record<CopyKind, string> = { copy: 'Copy', rename: 'Rename', move: 'Move' };
const BUSY: Record<CopyKind, string> = { copy: 'Copying…', rename: 'Renaming…', move: 'Moving…' };

function defaultName(kind: CopyKind, object: string): string {
  if (kind !== 'copy') return object;
  const dot = object.lastIndexOf('.');
  return dot > object.lastIndexOf('/') + 1 ? `${object.slice(0, dot)} copy${object.slice(dot)}` : `${object} copy`;
}

export function CopyDialog({ kind, container, object }: { kind: CopyKind; container: string; object: string }) {
  const close = useObjOps((s) => s.close);
  const containers = useBrowser((s) => s.containers);
  const maxFileSize = useConnection((s) => s.current?.capabilities.maxFileSize ?? null);
  const [toContainer, setToContainer] = useState(container);
  const [name, setName] = useState(defaultName(kind, object));
  const [mode, setMode] = useState<CopyMode>('manifest');
  const [overwrite, setOverwrite] = useState(false);
  const [stat, setStat] = useState<ObjectStat | null>(null);
  const [error, setError] = useState<ErrorValue | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    call('objects.stat', { container, object })
      .then((s) => live && setStat(s))
      .catch((e: unknown) => live && setError(toErrorValue(e)));
    return () => {
      live = false;
    };
  }, [container, object]);

  const large = stat?.kind === 'slo' || stat?.kind === 'dlo';
  const tooBig = large && mode === 'data' && maxFileSize !== null && stat.size > maxFileSize;
  const same = toContainer === container && name === object;
  const problem = !name.trim() ? 'Give the object a name.' : same ? 'That is the object itself; choose another name or container.' : tooBig ? `It is ${humanBytes(stat.size)}; one object can hold at most ${humanBytes(maxFileSize)} on this cluster, so its data cannot be copied into one object. Copy the manifest${stat.kind === 'slo' ? ', or the data as a new SLO' : ''} instead.` : null;

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await call('objects.copy', { source: { container, object }, target: { container: toContainer, object: name }, mode, overwrite, move: kind !== 'copy' });
      toast({ kind: 'success', title: `${TITLE[kind]} done`, message: r.summary });
      useObjOps.getState().markChanged();
      const b = useBrowser.getState();
      void b.refresh(toContainer === b.container ? name : undefined);
      void b.loadContainers();
      close();
    } catch (e) {
      setError(toErrorValue(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title={`${TITLE[kind]} ${container}/${object}`}
      onClose={close}
      closable={!busy}
      footer={
        <>
          <button type="button" className="button" onClick={close} disabled={busy}>
            Cancel
          </button>
          <button type="button" className="button primary" disabled={busy || problem !== null || !stat} onClick={() => void submit()}>
            {busy ? BUSY[kind] : TITLE[kind]}
          </button>
        </>
      }
    >
      {stat && (
        <p>
          <KindBadge kind={stat.kind} /> {humanBytes(stat.size)}
        </p>
      )}
      <div className="field-row">
        {kind !== 'rename' && (
          <label className="field">
            <span>To container</span>
            <select value={toContainer} onChange={(e) => setToContainer(e.target.value)}>
              {(containers.some((c) => c.name === container) ? containers : [{ name: container }, ...containers]).map((c) => (
                <option key={c.name} value={c.name}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="field">
          <span>{kind === 'rename' ? 'New name' : 'Name'}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} data-autofocus />
        </label>
      </div>
      {large && kind === 'copy' && (
        <fieldset className="choice-group">
          <legend>What to copy</legend>
          <label className="check-row">
            <input type="radio" name="copy-mode" checked={mode === 'manifest'} onChange={() => setMode('manifest')} /> The manifest: the copy shares the segments (fast, no new data)
          </label>
          <label className="check-row">
            <input type="radio" name="copy-mode" checked={mode === 'data'} onChange={() => setMode('data')} /> The data: a new plain object with all the bytes
            {maxFileSize !== null && ` (up to ${humanBytes(maxFileSize)})`}
          </label>
          {stat.kind === 'slo' && (
            <label className="check-row">
              <input type="radio" name="copy-mode" checked={mode === 'segments'} onChange={() => setMode('segments')} /> The data as a new SLO: every segment copied into {toContainer}_segments (any size)
            </label>
          )}
        </fieldset>
      )}
      {large && kind !== 'copy' && <Callout kind="info">The manifest moves to the new name; the segments stay where they are and are not deleted.</Callout>}
      <label className="check-row">
        <input type="checkbox" checked={overwrite} onChange={(e) => setOverwrite(e.target.checked)} /> Replace an object that already has that name
      </label>
      {problem && name.trim() && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      {error && <ErrorCallout error={error} />}
    </Modal>
  );
}
