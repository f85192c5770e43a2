// The manifest viewer: summary cards, notes, the proportional segment map, and tabs for the segment
// table, the nested tree, the raw manifest and the resolved (flattened) segment list. Verify, download
// and delete act on the object shown.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { InspectResult, ManifestNode } from '../../../app/rpc/contract.ts';
import { basename, exactBytes, formatCount, formatDate, humanBytes, plural } from '../lib/format.ts';
import { useBrowser } from '../stores/browser.ts';
import { useComposer } from '../stores/composer.ts';
import { useDoctor } from '../stores/doctor.ts';
import { useObjOps } from '../stores/objops.ts';
import { useManifest, type ManifestTab } from '../stores/manifest.ts';
import { copyText } from '../stores/transcript.ts';
import { toast, useUi } from '../stores/ui.ts';
import { downloadObject } from './actions.ts';
import { Callout, ErrorCallout, KindBadge, Spinner } from './common.tsx';
import { DeleteDialog } from './DeleteDialog.tsx';
import { ConvertDloButton } from './ConvertDloButton.tsx';
import { Icon } from './Icon.tsx';
import { LeafPager } from './LeafPager.tsx';
import { ManifestTree } from './ManifestTree.tsx';
import { ObjectDetails } from './ObjectDetails.tsx';
import { SegmentMap } from './SegmentMap.tsx';
import { SegmentTable } from './SegmentTable.tsx';

function countSubManifests(nodes: ManifestNode[]): number {
  let n = 0;
  for (const x of nodes) {
    if (x.kind === 'sub-slo') n++;
    if (x.children) n += countSubManifests(x.children);
  }
  return n;
}

export function ManifestViewer() {
  const target = useManifest((s) => s.target)!;
  const inspect = useManifest((s) => s.inspect);
  const loading = useManifest((s) => s.loading);
  const error = useManifest((s) => s.error);
  const { close, reload, runVerify } = useManifest.getState();
  const verifying = useManifest((s) => s.verifying);
  const [deleting, setDeleting] = useState(false);
  const deleted = useRef(false);
  const mainRef = useRef<HTMLElement>(null);

  // Take focus when opened (the browser underneath is hidden); Escape goes back to it.
  useEffect(() => {
    mainRef.current?.focus();
  }, [target.container, target.object]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented || document.querySelector('dialog[open]')) return;
      const el = e.target as HTMLElement | null;
      if (el && (el.tagName === 'INPUT' || el.tagName === 'SELECT' || el.tagName === 'TEXTAREA')) return;
      if (el?.closest('.menu, .dock')) return;
      close();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [close]);

  const parent = target.object.includes('/') ? target.object.slice(0, target.object.lastIndexOf('/') + 1) : '';
  // A plain object is called what it is; one that holds a manifest as data is still read as a (broken) manifest.
  const plain = inspect?.kind === 'plain' && !inspect.notAnSlo;

  return (
    <main
      ref={mainRef}
      tabIndex={-1}
      className="viewer"
      aria-label={`${plain ? 'Object' : 'Manifest of'} ${target.container}/${target.object}`}
    >
      <header className="viewer-head">
        <button type="button" className="button ghost" onClick={close} aria-label={`Back to ${target.container}/${parent}`}>
          <Icon name="arrowLeft" /> {target.container}/{parent}
        </button>
        <div className="viewer-title">
          <h1 title={`${target.container}/${target.object}`}>{basename(target.object)}</h1>
          {inspect && <KindBadge kind={inspect.kind} />}
          {inspect && (
            <span className="viewer-sub muted" title={inspect.lastModified}>
              modified {formatDate(inspect.lastModified)}
            </span>
          )}
        </div>
        <div className="toolbar-spacer" />
        <button type="button" className="icon-button" aria-label={plain ? 'Reload' : 'Reload manifest'} title="Reload" onClick={() => void reload()} disabled={loading}>
          <Icon name="refresh" />
        </button>
        <button
          type="button"
          className="button"
          onClick={() => void runVerify()}
          disabled={!inspect || verifying || inspect.kind === 'plain'}
          title={inspect?.kind === 'plain' ? 'Plain objects have no segments to verify' : 'HEAD every segment and compare sizes and ETags with the manifest'}
        >
          {verifying ? <Spinner label="Verifying" /> : <Icon name="shield" />} {verifying ? 'Verifying…' : 'Verify'}
        </button>
        <button
          type="button"
          className="button"
          aria-label={`Diagnose ${basename(target.object)}`}
          title="Explain, entry by entry, what is wrong with this object as an SLO, and offer a fix"
          onClick={() => void useDoctor.getState().open(target.container, target.object)}
        >
          <Icon name="info" /> Diagnose
        </button>
        {inspect?.kind === 'dlo' && <ConvertDloButton container={target.container} object={target.object} onConverted={() => void reload()} />}
        {inspect?.kind === 'slo' && (
          <button
            type="button"
            className="button"
            aria-label={`Edit manifest of ${basename(target.object)}`}
            title="Reorder, add or remove entries and save the SLO again"
            onClick={() => void useComposer.getState().openEdit(target.container, target.object)}
          >
            <Icon name="edit" /> Edit
          </button>
        )}
        <button type="button" className="button" aria-label={`Metadata of ${basename(target.object)}`} title="Metadata…: every header; edit metadata, content type, expiry" onClick={() => useObjOps.getState().open({ kind: 'metadata', ...target })}>
          {/* Icons only (the words are the tooltip and the accessible name): the object's name needs the room. */}
          <Icon name="list" />
        </button>
        <button type="button" className="button" aria-label={`Temp URL for ${basename(target.object)}`} title="Temp URL…: a signed URL anyone can use without a token until it expires" onClick={() => useObjOps.getState().open({ kind: 'tempurl', ...target })}>
          <Icon name="link" />
        </button>
        <button
          type="button"
          className="button"
          aria-label={`Download ${basename(target.object)}`}
          onClick={() => void downloadObject(target.container, target.object)}
          disabled={!inspect}
        >
          <Icon name="download" /> Download
        </button>
        <button
          type="button"
          className="button danger-outline"
          aria-label={`Delete ${basename(target.object)}`}
          onClick={() => setDeleting(true)}
          disabled={!inspect && !error}
        >
          <Icon name="trash" /> Delete
        </button>
      </header>
      <div className="viewer-body">
        {loading && (
          <div className="viewer-loading">
            <Spinner label="Inspecting" /> Reading the object…
          </div>
        )}
        {error && !loading && <ErrorCallout error={error} title={`Could not inspect ${target.object}`} />}
        {inspect && <InspectView r={inspect} />}
      </div>
      {deleting && (
        <DeleteDialog
          targets={[{ container: target.container, name: target.object, kind: inspect?.kind ?? 'unknown', ...(inspect ? { segments: inspect.kind === 'plain' ? 0 : inspect.segmentCount } : {}) }]}
          onClose={() => {
            setDeleting(false);
            // Leave the viewer only after the user has read the delete summary.
            if (deleted.current) close();
          }}
          onDeleted={(names) => {
            if (names.length) {
              deleted.current = true;
              const b = useBrowser.getState();
              if (b.container === target.container) void b.refresh();
              void b.loadContainers();
            }
          }}
        />
      )}
    </main>
  );
}

function NotAnSloCallout({ note, container, object }: { note: string; container: string; object: string }) {
  return (
    <div className="callout callout-warning doctor-offer" role="note" aria-label="Not an SLO">
      <Icon name="alert" className="callout-icon" />
      <div className="callout-text">
        <strong>This looks like a manifest stored as ordinary data.</strong>
        <div>{note}</div>
      </div>
      <button type="button" className="button primary" onClick={() => void useDoctor.getState().open(container, object)}>
        <Icon name="shield" /> Diagnose and fix…
      </button>
    </div>
  );
}

function Card({ label, children, wide, className }: { label: string; children: React.ReactNode; wide?: boolean; className?: string }) {
  return (
    <div className={`card ${wide ? 'wide' : ''} ${className ?? ''}`} role="group" aria-label={label}>
      <div className="card-label">{label}</div>
      <div className="card-value">{children}</div>
    </div>
  );
}

function InspectView({ r }: { r: InspectResult }) {
  const tab = useManifest((s) => s.tab);
  const setTab = useManifest((s) => s.setTab);
  const selected = useManifest((s) => s.selected);
  const select = useManifest((s) => s.select);
  const scrollRequest = useManifest((s) => s.scrollRequest);
  const checks = useManifest((s) => s.checks);
  const verify = useManifest((s) => s.verify);
  const verifyError = useManifest((s) => s.verifyError);
  const dark = useUi((s) => s.theme === 'dark');
  const [onlyProblems, setOnlyProblems] = useState(false);
  const subManifests = useMemo(() => countSubManifests(r.tree), [r.tree]);
  const hasSegments = r.segments.length > 0;
  // A plain object has nothing to tabulate, unless Swift handed back a body that looks like a manifest.
  const showTabs = hasSegments || r.raw !== undefined || r.tree.length > 0;

  const tabs: Array<{ id: ManifestTab; label: string }> = [
    { id: 'segments', label: `Segments (${formatCount(r.listLimit === undefined ? r.segments.length : r.segmentCount)})` },
    { id: 'tree', label: 'Tree' },
    { id: 'raw', label: 'Raw JSON' },
    { id: 'resolved', label: 'Resolved' },
  ];

  const onTabKey = (e: React.KeyboardEvent) => {
    const i = tabs.findIndex((t) => t.id === tab);
    let n = i;
    if (e.key === 'ArrowRight') n = (i + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') n = (i - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') n = 0;
    else if (e.key === 'End') n = tabs.length - 1;
    else return;
    e.preventDefault();
    setTab(tabs[n]!.id);
    document.getElementById(`tab-${tabs[n]!.id}`)?.focus();
  };

  return (
    <>
      <div className="viewer-summary">
        <div className="cards">
          <Card label="Kind">
            <KindBadge kind={r.kind} />
            <span className="card-sub" title={r.contentType}>
              {r.contentType}
            </span>
          </Card>
          <Card label="Total size">
            <span className="card-big" title={exactBytes(r.size)}>
              {humanBytes(r.size)}
            </span>
            <span className="card-sub">{exactBytes(r.size)}</span>
          </Card>
          {r.kind !== 'plain' && (
            <Card label="Segments">
              <span className="card-big">{formatCount(r.segmentCount)}</span>
              <span className="card-sub">{subManifests > 0 ? plural(subManifests, 'sub-manifest') : 'no sub-manifests'}</span>
            </Card>
          )}
          {r.kind === 'slo' && (
            <Card label="Nesting depth">
              <span className="card-big">{r.depth}</span>
              <span className="card-sub">{r.depth <= 1 ? 'flat manifest' : 'nested manifests'}</span>
            </Card>
          )}
          <Card label="ETag" wide className={r.etagMatches === false ? 'card-bad' : ''}>
            <div className="etag-line">
              <span className="muted">reported</span>
              <code title={r.etag}>{r.etag || '—'}</code>
              {r.etagMatches !== undefined && (
                <span className={`match-badge ${r.etagMatches ? 'match' : 'mismatch'}`}>
                  <Icon name={r.etagMatches ? 'check' : 'alert'} size={12} /> {r.etagMatches ? 'match' : 'mismatch'}
                </span>
              )}
            </div>
            {r.computedEtag !== undefined && (
              <div className="etag-line">
                <span className="muted">recomputed</span>
                <code title={r.computedEtag}>{r.computedEtag}</code>
              </div>
            )}
            {r.manifestEtag && (
              <div className="etag-line">
                <span className="muted" title="X-Manifest-Etag: the MD5 of the manifest body itself">
                  X-Manifest-Etag
                </span>
                <code title={r.manifestEtag}>{r.manifestEtag}</code>
              </div>
            )}
          </Card>
          {r.dlo && (
            <Card label="DLO prefix" wide>
              <code>
                {r.dlo.container}/{r.dlo.prefix}
              </code>
              <span className="card-sub">X-Object-Manifest</span>
            </Card>
          )}
        </div>

        {r.notAnSlo && <NotAnSloCallout note={r.notAnSlo} container={r.container} object={r.object} />}
        {r.notes.map((n) => (
          <Callout kind="info" key={n}>
            {n}
          </Callout>
        ))}
        {r.etagMatches === false && (
          <Callout kind="warning">
            The ETag Swift reports does not match the one recomputed from the manifest. The manifest may have been rewritten, or a segment changed.
          </Callout>
        )}
        {verifyError && <ErrorCallout error={verifyError} title="Verify failed" />}
        {verify && (
          <div className={`callout ${verify.ok ? 'callout-success' : 'callout-warning'}`} role="status">
            <Icon name={verify.ok ? 'check' : 'alert'} className="callout-icon" />
            <div className="callout-text">
              <strong>{verify.ok ? 'All segments verified ✓' : `${plural(verify.problems, 'problem')} found`}</strong>
              <div>{verify.summary}</div>
            </div>
            {!verify.ok && (
              <label className="check-row">
                <input type="checkbox" checked={onlyProblems} onChange={(e) => setOnlyProblems(e.target.checked)} /> Show only problems
              </label>
            )}
          </div>
        )}

        {!hasSegments && r.kind === 'plain' && !r.notAnSlo && <Callout kind="info">A plain object: its bytes are stored directly, with no manifest or segments.</Callout>}
        {r.kind === 'plain' && <ObjectDetails container={r.container} object={r.object} version={r} />}
      </div>
      {hasSegments && (
        <SegmentMap
          segments={r.segments}
          total={r.size}
          selected={selected}
          checks={checks}
          dark={dark}
          onSelect={(i) => {
            select(i, true);
            if (tab !== 'segments') setTab('segments');
          }}
        />
      )}
      {showTabs && (
        <div className="viewer-tabs">
          <div className="tabs" role="tablist" aria-label="Manifest views" onKeyDown={onTabKey}>
            {tabs.map((t) => (
              <button
                key={t.id}
                id={`tab-${t.id}`}
                type="button"
                role="tab"
                aria-selected={tab === t.id}
                aria-controls={`panel-${t.id}`}
                tabIndex={tab === t.id ? 0 : -1}
                className={`tab ${tab === t.id ? 'active' : ''}`}
                onClick={() => setTab(t.id)}
              >
                {t.label}
              </button>
            ))}
          </div>
          <div className={`tab-panel panel-${tab}`} role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
            {tab === 'segments' && r.listLimit !== undefined && (
              <>
                <Callout kind="info">
                  {formatCount(r.segmentCount)} segments — too many to list at once; paging through them by index.
                </Callout>
                <LeafPager container={r.container} object={r.object} total={r.segmentCount} />
              </>
            )}
            {tab === 'segments' && r.listLimit === undefined && (
              <SegmentTable
                segments={r.segments}
                checks={checks}
                selected={selected}
                scrollRequest={scrollRequest}
                onlyProblems={onlyProblems && !!verify && !verify.ok}
                onSelect={(i) => select(i)}
              />
            )}
            {tab === 'tree' &&
              (r.tree.length > 0 ? (
                <ManifestTree root={`${r.container}/${r.object}`} nodes={r.tree} />
              ) : (
                <div className="muted pad">No manifest tree: this object has no segments.</div>
              ))}
            {tab === 'raw' && <JsonView value={r.raw} empty="Swift returned no raw manifest for this object (only SLOs have one)." name={`${basename(r.object)}.manifest.json`} />}
            {tab === 'resolved' && <ResolvedView r={r} />}
          </div>
        </div>
      )}
    </>
  );
}

function JsonBlock({ text, label }: { text: string; label: string }) {
  return (
    <div className="json-wrap">
      <div className="json-toolbar">
        <span className="muted small">{humanBytes(new Blob([text]).size)}</span>
        <button
          type="button"
          className="button small"
          onClick={() => void copyText(text).then((ok) => toast(ok ? { kind: 'success', title: `Copied ${label}` } : { kind: 'error', title: 'Clipboard unavailable' }))}
        >
          <Icon name="copy" size={12} /> Copy
        </button>
      </div>
      <pre className="json" tabIndex={0} aria-label={label}>
        {text}
      </pre>
    </div>
  );
}

function JsonView({ value, empty, name }: { value: unknown; empty: string; name: string }) {
  const text = useMemo(() => (value === undefined ? null : JSON.stringify(value, null, 2)), [value]);
  if (text === null) return <div className="muted pad">{empty}</div>;
  return <JsonBlock text={text} label={name} />;
}

function ResolvedView({ r }: { r: InspectResult }) {
  const text = useMemo(() => {
    if (r.segments.length === 0) return null;
    // One segment per line reads better than fully indented JSON for thousands of entries.
    return `[\n${r.segments.map((s) => '  ' + JSON.stringify(s)).join(',\n')}\n]`;
  }, [r.segments]);
  if (text === null && r.listLimit !== undefined) return <div className="muted pad">{formatCount(r.segmentCount)} segments — too many to list here.</div>;
  if (text === null) return <div className="muted pad">Nothing to resolve: this object has no segments.</div>;
  return <JsonBlock text={text} label="resolved segments JSON" />;
}

