// A temp URL for one object: the keys it can be signed with (redacted until revealed, or set here), the method, the
// expiry, and the signed URL with a Copy button.
import { useEffect, useState } from 'react';
import type { ErrorValue, TempUrl, TempUrlKeySlot, TempUrlKeys, TempUrlMethod } from '../../../app/rpc/contract.ts';
import { call, toErrorValue } from '../rpc/client.ts';
import { useObjOps } from '../stores/objops.ts';
import { copyText } from '../stores/transcript.ts';
import { toast } from '../stores/ui.ts';
import { Callout, ErrorCallout, Modal, Spinner } from './common.tsx';
import { Icon } from './Icon.tsx';

const EXPIRIES: [string, number][] = [
  ['15 minutes', 900],
  ['1 hour', 3600],
  ['1 day', 86400],
  ['7 days', 7 * 86400],
  ['30 days', 30 * 86400],
];

function KeyState({ label, slot }: { label: string; slot: TempUrlKeySlot }) {
  return (
    <div className="menu-info-row">
      <span className="muted">{label}</span>
      <code>{!slot.set ? 'not set' : (slot.value ?? '•••••••• (hidden)')}</code>
    </div>
  );
}

export function TempUrlDialog({ container, object }: { container: string; object: string }) {
  const close = useObjOps((s) => s.close);
  const [keys, setKeys] = useState<TempUrlKeys | null>(null);
  const [reveal, setReveal] = useState(false);
  const [method, setMethod] = useState<TempUrlMethod>('GET');
  const [seconds, setSeconds] = useState(3600);
  const [url, setUrl] = useState<TempUrl | null>(null);
  const [error, setError] = useState<ErrorValue | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    call('tempurl.keys', { container, reveal })
      .then((k) => live && setKeys(k))
      .catch((e: unknown) => live && setError(toErrorValue(e)));
    return () => {
      live = false;
    };
  }, [container, reveal]);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(toErrorValue(e));
    } finally {
      setBusy(false);
    }
  };
  const setRandomKey = (forContainer: boolean) => run(async () => setKeys(await call('tempurl.setKey', { slot: 1, ...(forContainer ? { container } : {}) })));
  const create = () => run(async () => setUrl(await call('tempurl.create', { container, object, method, seconds })));
  const copy = async () => {
    if (url && (await copyText(url.url))) toast({ kind: 'success', title: 'Copied temp URL', message: 'Anyone holding it can use it until it expires.' });
  };
  const hasKey = keys !== null && (keys.account.key.set || keys.account.key2.set || keys.container?.key.set === true || keys.container?.key2.set === true);

  return (
    <Modal
      title={`Temp URL for ${container}/${object}`}
      onClose={close}
      size="medium"
      footer={
        <>
          <button type="button" className="button" onClick={close}>
            Close
          </button>
          <button type="button" className="button primary" disabled={!hasKey || busy} onClick={() => void create()}>
            {busy ? 'Signing…' : 'Create URL'}
          </button>
        </>
      }
    >
      {!keys && !error && <Spinner label="Reading keys" />}
      {keys && (
        <section aria-label="Temp-URL keys" className="tempurl-keys">
          <KeyState label="Account key (X-Account-Meta-Temp-URL-Key)" slot={keys.account.key} />
          <KeyState label="Account key 2" slot={keys.account.key2} />
          {keys.container && <KeyState label={`Container ${container}'s key`} slot={keys.container.key} />}
          <div className="field-row">
            <button type="button" className="button" aria-pressed={reveal} onClick={() => setReveal((r) => !r)}>
              <Icon name="eye" /> {reveal ? 'Hide keys' : 'Reveal keys'}
            </button>
            {!keys.account.key.set && (
              <button type="button" className="button" disabled={busy} onClick={() => void setRandomKey(false)}>
                <Icon name="shield" /> Set a random account key
              </button>
            )}
            {keys.container && !keys.container.key.set && (
              <button type="button" className="button" disabled={busy} onClick={() => void setRandomKey(true)} title="A container key signs URLs for this container only (not for segments kept in other containers)">
                <Icon name="shield" /> Set a random container key
              </button>
            )}
          </div>
          {keys.digests.length === 0 && <Callout kind="warning">This cluster has no tempurl middleware (no tempurl section in /info): temp URLs will not work.</Callout>}
        </section>
      )}
      <div className="field-row">
        <fieldset className="choice-group">
          <legend>Method</legend>
          {(['GET', 'PUT'] as const).map((m) => (
            <label key={m} className="check-row">
              <input type="radio" name="tempurl-method" checked={method === m} onChange={() => setMethod(m)} /> {m === 'GET' ? 'GET (download)' : 'PUT (upload to this name)'}
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span>Expires after</span>
          <select value={seconds} onChange={(e) => setSeconds(Number(e.target.value))}>
            {EXPIRIES.map(([label, s]) => (
              <option key={s} value={s}>
                {label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && <ErrorCallout error={error} />}
      {url && (
        <section aria-label="Signed URL">
          <label className="field">
            <span>Temporary URL ({url.method}, {url.digest}, until {new Date(url.expiresAt * 1000).toLocaleString()})</span>
            <div className="input-group">
              <input readOnly value={url.url} className="mono" onFocus={(e) => e.target.select()} aria-label="Temporary URL" />
              <button type="button" className="button" onClick={() => void copy()}>
                <Icon name="copy" /> Copy
              </button>
            </div>
          </label>
          {url.notes.map((n) => (
            <p key={n} className="muted small">
              {n}
            </p>
          ))}
        </section>
      )}
    </Modal>
  );
}
