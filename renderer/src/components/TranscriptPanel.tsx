// The request transcript: every HTTP request the host made to Swift, with "Copy as curl".
import { useEffect, useRef, useState } from 'react';
import { decodeName, type TranscriptEntry } from '../../../app/rpc/contract.ts';
import { formatMs, formatTime } from '../lib/format.ts';
import { useVirtual } from '../lib/useVirtual.ts';
import { useTranscript } from '../stores/transcript.ts';
import { EmptyState, TransId } from './common.tsx';
import { Icon } from './Icon.tsx';

const ROW = 28;

function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return decodeName(u.pathname) + u.search;
  } catch {
    return url;
  }
}

function statusClass(e: TranscriptEntry): string {
  if (e.status === null) return 'status-err';
  if (e.status >= 500) return 'status-err';
  if (e.status >= 400) return 'status-warn';
  return 'status-ok';
}

export function TranscriptPanel() {
  const entries = useTranscript((s) => s.entries);
  const selected = useTranscript((s) => s.selected);
  const { select, clear, copyCurl } = useTranscript.getState();
  const v = useVirtual(entries.length, ROW, 10);
  const stick = useRef(true);
  // Off on every start: a copied token works for anyone until it expires.
  const [includeToken, setIncludeToken] = useState(false);

  // Follow new entries while scrolled to the bottom.
  useEffect(() => {
    const el = v.ref.current;
    if (el && stick.current) {
      el.scrollTop = el.scrollHeight;
    }
  }, [entries.length, v.ref]);

  const sel = selected !== null ? entries.find((e) => e.id === selected) ?? null : null;

  return (
    <div className="transcript">
      <div className="transcript-main">
        <div className="transcript-toolbar">
          <span className="muted small">{entries.length} requests · newest at the bottom</span>
          <span className="toolbar-spacer" />
          <label className="check-row small" title="Copy as curl with the real X-Auth-Token instead of a placeholder">
            <input type="checkbox" checked={includeToken} onChange={(e) => setIncludeToken(e.target.checked)} /> Include token
          </label>
          <button type="button" className="button small" onClick={() => void clear()} disabled={entries.length === 0}>
            Clear
          </button>
        </div>
        {includeToken && (
          <div className="token-warning small" role="note">
            <Icon name="alert" size={12} /> Copied curl commands include your auth token: anyone who has it can act as you until it expires.
          </div>
        )}
        {entries.length === 0 ? (
          <div className="panel-empty">
            <EmptyState icon="list" title="No requests yet">
              Every request SLO Studio sends to Swift appears here with its status, timing and transaction id.
            </EmptyState>
          </div>
        ) : (
          <div role="grid" className="grid transcript-grid" aria-label="Request transcript" aria-rowcount={entries.length + 1}>
            <div role="rowgroup" className="grid-head">
              <div role="row" className="grid-row head">
                <div role="columnheader" className="cell t-time">Time</div>
                <div role="columnheader" className="cell t-method">Method</div>
                <div role="columnheader" className="cell t-path">Path</div>
                <div role="columnheader" className="cell t-status">Status</div>
                <div role="columnheader" className="cell t-dur">Duration</div>
                <div role="columnheader" className="cell t-trans">Transaction id</div>
                <div role="columnheader" className="cell t-actions"><span className="sr-only">Actions</span></div>
              </div>
            </div>
            <div
              role="rowgroup"
              className="grid-body"
              ref={v.ref}
              onScroll={(e) => {
                v.onScroll(e);
                const el = e.currentTarget;
                stick.current = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW * 2;
              }}
            >
              <div className="grid-spacer" role="presentation" style={{ height: v.totalHeight }}>
                {entries.slice(v.start, v.end).map((e, k) => {
                  const i = v.start + k;
                  const path = pathOf(e.url);
                  return (
                    <div
                      key={e.id}
                      role="row"
                      aria-rowindex={i + 2}
                      aria-label={`${e.method} ${path} ${e.status ?? 'failed'}`}
                      aria-selected={e.id === selected}
                      className={`grid-row ${e.id === selected ? 'selected' : ''}`}
                      style={{ transform: `translateY(${i * ROW}px)` }}
                      onClick={() => select(e.id === selected ? null : e.id)}
                    >
                      <div role="gridcell" className="cell t-time muted">{formatTime(e.time)}</div>
                      <div role="gridcell" className={`cell t-method method-${e.method.toLowerCase()}`}>{e.method}</div>
                      <div role="gridcell" className="cell t-path mono" title={e.url}>{path}</div>
                      <div role="gridcell" className={`cell t-status ${statusClass(e)}`} title={e.error}>
                        {e.status ?? 'error'}
                      </div>
                      <div role="gridcell" className="cell t-dur num">{formatMs(e.durationMs)}</div>
                      <div role="gridcell" className="cell t-trans mono muted" title={e.transId}>{e.transId ?? ''}</div>
                      <div role="gridcell" className="cell t-actions">
                        <button
                          type="button"
                          className="button tiny"
                          aria-label={`Copy ${e.method} ${path} as curl`}
                          onClick={(ev) => {
                            ev.stopPropagation();
                            void copyCurl(e.id, includeToken);
                          }}
                        >
                          <Icon name="copy" size={12} /> curl
                        </button>
                      </div>
                    </div>
                  );
                })}
              </div>
            </div>
          </div>
        )}
      </div>
      {sel && <TranscriptDetail e={sel} includeToken={includeToken} onClose={() => select(null)} />}
    </div>
  );
}

function Headers({ title, headers }: { title: string; headers: Record<string, string> }) {
  const keys = Object.keys(headers).sort();
  return (
    <section className="headers">
      <h4>{title}</h4>
      {keys.length === 0 ? (
        <div className="muted small">none</div>
      ) : (
        <dl>
          {keys.map((k) => (
            <div key={k} className="header-line">
              <dt>{k}</dt>
              <dd>{headers[k]}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

function TranscriptDetail({ e, includeToken, onClose }: { e: TranscriptEntry; includeToken: boolean; onClose: () => void }) {
  const copyCurl = useTranscript((s) => s.copyCurl);
  return (
    <aside className="transcript-detail" aria-label="Request details">
      <div className="detail-head">
        <strong className={`method-${e.method.toLowerCase()}`}>{e.method}</strong>
        <span className={statusClass(e)}>{e.status ?? 'error'}</span>
        <span className="muted">{formatMs(e.durationMs)}</span>
        <span className="toolbar-spacer" />
        <button type="button" className="icon-button" aria-label="Close request details" onClick={onClose}>
          <Icon name="x" />
        </button>
      </div>
      <code className="detail-url">{e.url}</code>
      {e.transId && <TransId id={e.transId} />}
      {e.error && <div className="text-danger small">{e.error}</div>}
      <div className="button-row">
        <button type="button" className="button small" onClick={() => void copyCurl(e.id, includeToken)} title={includeToken ? 'Includes the X-Auth-Token' : 'The X-Auth-Token is redacted'}>
          <Icon name="copy" size={12} /> Copy as curl
        </button>
        <button type="button" className="button small" onClick={() => void copyCurl(e.id, true)} title="Includes the X-Auth-Token">
          Copy with token
        </button>
      </div>
      <Headers title="Request headers" headers={e.requestHeaders} />
      <Headers title="Response headers" headers={e.responseHeaders} />
    </aside>
  );
}
