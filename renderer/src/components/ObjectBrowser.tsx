// The object browser: breadcrumbs, prefix search, a virtualized grid of pseudo-folders and objects with
// marker pagination, multi-select, kind badges, drag-and-drop upload and the actions toolbar.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ObjectEntry } from '../../../app/rpc/contract.ts';
import { onEvent } from '../rpc/client.ts';
import { localFilesFromList, localFilesFromPaths, type LocalFile } from '../rpc/files.ts';
import { exactBytes, formatCount, formatDate, humanBytes, plural } from '../lib/format.ts';
import { useVirtual } from '../lib/useVirtual.ts';
import { sortEntries, useBrowser, type SortKey } from '../stores/browser.ts';
import { useComposer } from '../stores/composer.ts';
import { useConnection } from '../stores/connection.ts';
import { useDoctor } from '../stores/doctor.ts';
import { useManifest } from '../stores/manifest.ts';
import { toast, useUi } from '../stores/ui.ts';
import { downloadObject, pickFilesNative, type DeleteTarget } from './actions.ts';
import { EmptyState, ErrorCallout, KindBadge, Spinner } from './common.tsx';
import { DeleteDialog } from './DeleteDialog.tsx';
import { OrphansDialog } from './OrphansDialog.tsx';
import { useObjectContextMenu } from './ObjectContextMenu.tsx';
import { ObjOpsToolbarButtons } from './ObjOpsToolbarButtons.tsx';
import { Icon } from './Icon.tsx';
import { UploadSheet } from './UploadSheet.tsx';
import { FolderButtons } from './FolderButtons.tsx';
import { batchFromDrop, dropHasFolder } from '../rpc/folder-files.ts';
import { useFolders } from '../stores/folders.ts';

const ROW = 34;

function hasFiles(e: React.DragEvent): boolean {
  return Array.from(e.dataTransfer.types).includes('Files');
}

function displayName(entry: ObjectEntry, prefix: string): string {
  const n = entry.name.startsWith(prefix) ? entry.name.slice(prefix.length) : entry.name;
  return n || entry.name;
}

export function ObjectBrowser() {
  const container = useBrowser((s) => s.container);
  const prefix = useBrowser((s) => s.prefix);
  const connected = useConnection((s) => s.current !== null);
  const containersLoaded = useBrowser((s) => s.containersLoaded);
  const containerCount = useBrowser((s) => s.containers.length);
  const [upload, setUpload] = useState<{ prefix: string; files: LocalFile[] } | null>(null);
  const [toDelete, setToDelete] = useState<DeleteTarget[] | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const startUpload = useCallback(
    (files: LocalFile[], into: string) => {
      if (!container || files.length === 0) return;
      setUpload({ prefix: into, files });
    },
    [container],
  );

  const pickFiles = async () => {
    const native = await pickFilesNative();
    if (native === null) fileInput.current?.click();
    else startUpload(native, prefix);
  };

  // Electron: files from File › Open… or the command line (also a second launch's) become an upload here.
  useEffect(
    () =>
      onEvent('files.opened', ({ paths }) => {
        if (container) startUpload(localFilesFromPaths(paths), prefix);
        else toast({ kind: 'warning', title: 'Choose a container first', message: `Open a container, then upload ${paths.length === 1 ? 'the file' : 'the files'} with Upload… or by dropping.` });
      }),
    [container, prefix, startUpload],
  );

  if (!connected) {
    return (
      <main className="browser" aria-label="Objects">
        <NotConnected />
      </main>
    );
  }
  if (!container) {
    return (
      <main className="browser" aria-label="Objects">
        {containersLoaded && containerCount === 0 ? (
          <EmptyState icon="folder" title="This account has no containers">
            Create one from the sidebar, then drop files here.
          </EmptyState>
        ) : (
          <EmptyState icon="folder" title="Choose a container" />
        )}
      </main>
    );
  }

  return (
    <main className="browser" aria-label={`Objects in ${container}`}>
      <Toolbar onUpload={() => void pickFiles()} onDelete={setToDelete} />
      <ObjectGrid onDropFiles={startUpload} onDelete={setToDelete} />
      <input
        ref={fileInput}
        type="file"
        multiple
        hidden
        aria-label="Choose files to upload"
        onChange={(e) => {
          if (e.target.files && e.target.files.length > 0) startUpload(localFilesFromList(e.target.files, false), prefix);
          e.target.value = '';
        }}
      />
      {upload && <UploadSheet container={container} prefix={upload.prefix} files={upload.files} onClose={() => setUpload(null)} />}
      {toDelete && (
        <DeleteDialog
          targets={toDelete}
          onClose={() => setToDelete(null)}
          onDeleted={() => {
            useBrowser.getState().setSelection([]);
            void useBrowser.getState().refresh();
            void useBrowser.getState().loadContainers();
          }}
        />
      )}
    </main>
  );
}

function NotConnected() {
  const phase = useConnection((s) => s.phase);
  const connectingTo = useConnection((s) => s.connectingTo);
  const error = useConnection((s) => s.error);
  const openSandbox = useConnection((s) => s.openSandbox);
  const setConnectionsOpen = useUi((s) => s.setConnectionsOpen);
  if (phase === 'starting' || phase === 'connecting') {
    return (
      <div className="empty-state">
        <Spinner label="Connecting" />
        <h3>{phase === 'starting' ? 'Starting…' : `Connecting to ${connectingTo ?? 'Swift'}…`}</h3>
        {connectingTo === 'local sandbox' && <p className="muted">Starting the local Swift sandbox can take a few seconds.</p>}
      </div>
    );
  }
  return (
    <EmptyState icon="server" title="Not connected to Swift">
      {error && <ErrorCallout error={error} title="The last connection attempt failed" />}
      <div className="button-row">
        <button type="button" className="button primary" onClick={() => setConnectionsOpen(true)}>
          Manage connections…
        </button>
        <button type="button" className="button" onClick={() => void openSandbox()}>
          Connect to local sandbox
        </button>
      </div>
    </EmptyState>
  );
}

function Breadcrumbs() {
  const container = useBrowser((s) => s.container)!;
  const prefix = useBrowser((s) => s.prefix);
  const setPrefix = useBrowser((s) => s.setPrefix);
  const parts = prefix.split('/').filter(Boolean);
  return (
    <nav className="breadcrumbs" aria-label="Folder path">
      <ol>
        <li>
          <button type="button" className="crumb" onClick={() => setPrefix('')} aria-current={parts.length === 0 ? 'location' : undefined}>
            <Icon name="folder" size={14} /> {container}
          </button>
        </li>
        {parts.map((p, i) => {
          const to = parts.slice(0, i + 1).join('/') + '/';
          return (
            <li key={to}>
              <Icon name="chevronRight" size={12} className="crumb-sep" />
              <button type="button" className="crumb" onClick={() => setPrefix(to)} aria-current={i === parts.length - 1 ? 'location' : undefined}>
                {p}
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

function Toolbar({ onUpload, onDelete }: { onUpload: () => void; onDelete: (t: DeleteTarget[]) => void }) {
  const container = useBrowser((s) => s.container)!;
  const search = useBrowser((s) => s.search);
  const setSearch = useBrowser((s) => s.setSearch);
  const refresh = useBrowser((s) => s.refresh);
  const selection = useBrowser((s) => s.selection);
  const entries = useBrowser((s) => s.entries);
  const kinds = useBrowser((s) => s.kinds);
  const sort = useBrowser((s) => s.sort);
  const [q, setQ] = useState(search);
  const [orphansOpen, setOrphansOpen] = useState(false);

  useEffect(() => setQ(search), [search]);
  useEffect(() => {
    if (q === search) return;
    const t = setTimeout(() => setSearch(q), 300);
    return () => clearTimeout(t);
  }, [q, search, setSearch]);

  const selectedObjects = entries.filter((e): e is Extract<ObjectEntry, { type: 'object' }> => e.type === 'object' && selection.has(e.name));
  const selectedFolders = entries.filter((e) => e.type === 'folder' && selection.has(e.name));
  const single = selectedObjects.length === 1 ? selectedObjects[0]! : null;
  const deleteCount = selectedObjects.length + selectedFolders.length;

  return (
    <div className="browser-toolbar">
      <Breadcrumbs />
      <div className="toolbar-spacer" />
      <div className="search-box">
        <Icon name="search" size={14} />
        <input
          type="search"
          aria-label="Search by name prefix"
          placeholder="Filter by name prefix"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') setSearch(q);
          }}
        />
      </div>
      <button type="button" className="icon-button" aria-label="Refresh listing" title="Refresh" onClick={() => void refresh()}>
        <Icon name="refresh" />
      </button>
      <div className="toolbar-group">
        <button
          type="button"
          className="button"
          disabled={!single}
          onClick={() => single && void useManifest.getState().open(container, single.name)}
          aria-label="Inspect selected object"
        >
          <Icon name="eye" /> Inspect
        </button>
        <button
          type="button"
          className="button"
          disabled={!single}
          onClick={() => single && void useDoctor.getState().open(container, single.name)}
          aria-label="Diagnose selected object"
          title="Explain what is wrong with the object as an SLO, and offer a fix"
        >
          <Icon name="info" /> Diagnose
        </button>
        <ObjOpsToolbarButtons container={container} object={single?.name ?? null} />
        <button
          type="button"
          className="button"
          disabled={selectedObjects.length === 0}
          onClick={() => selectedObjects.forEach((o) => void downloadObject(container, o.name))}
          aria-label={selectedObjects.length > 1 ? `Download ${selectedObjects.length} selected objects` : 'Download selected object'}
        >
          <Icon name="download" /> Download
        </button>
        <button
          type="button"
          className="button"
          disabled={deleteCount === 0}
          onClick={() =>
            onDelete([
              ...selectedFolders.map((f): DeleteTarget => ({ container, name: f.name, kind: 'unknown', folder: true })),
              ...selectedObjects.map((o): DeleteTarget => ({ container, name: o.name, kind: o.kind !== 'unknown' ? o.kind : kinds[`${container}/${o.name}`] ?? 'unknown' })),
            ])
          }
          aria-label={deleteCount > 1 ? `Delete ${deleteCount} selected items` : 'Delete selected item'}
        >
          <Icon name="trash" /> Delete
        </button>
        <button
          type="button"
          className="button"
          onClick={() => {
            // The selection in the order it is shown; selected folders add everything under them.
            const shown = sortEntries(entries, sort).filter((e) => selection.has(e.name));
            useComposer.getState().openNew(
              container,
              shown.filter((e) => e.type === 'object').map((e) => `${container}/${e.name}`),
              shown.filter((e) => e.type === 'folder').map((e) => `${container}/${e.name}`),
            );
          }}
          aria-label={selectedObjects.length + selectedFolders.length > 0 ? `Compose SLO from ${plural(selectedObjects.length + selectedFolders.length, 'selected item')}` : 'Compose SLO'}
          title="Build an SLO from existing objects (the selection, in order)"
        >
          <Icon name="layers" /> Compose SLO…
        </button>
        <button type="button" className="button" onClick={() => setOrphansOpen(true)} title="Segments in this container's segment containers that no manifest references">
          <Icon name="search" /> Orphans…
        </button>
        <FolderButtons />
        <button type="button" className="button primary" onClick={onUpload}>
          <Icon name="upload" /> Upload…
        </button>
        {orphansOpen && <OrphansDialog container={container} onClose={() => setOrphansOpen(false)} onDeleted={() => void refresh()} />}
      </div>
    </div>
  );
}

function SortHeader({ k, label, className }: { k: SortKey; label: string; className: string }) {
  const sort = useBrowser((s) => s.sort);
  const setSort = useBrowser((s) => s.setSort);
  const active = sort.key === k;
  return (
    <div role="columnheader" className={`cell ${className}`} aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className={`sort-button ${active ? 'active' : ''}`} onClick={() => setSort(k)} aria-label={`Sort by ${label}`}>
        {label}
        {active && <Icon name={sort.dir === 'asc' ? 'chevronUp' : 'chevronDown'} size={12} />}
      </button>
    </div>
  );
}

function ObjectGrid({ onDropFiles, onDelete }: { onDropFiles: (files: LocalFile[], prefix: string) => void; onDelete: (t: DeleteTarget[]) => void }) {
  const container = useBrowser((s) => s.container)!;
  const prefix = useBrowser((s) => s.prefix);
  const search = useBrowser((s) => s.search);
  const entries = useBrowser((s) => s.entries);
  const sort = useBrowser((s) => s.sort);
  const loading = useBrowser((s) => s.loading);
  const loadingMore = useBrowser((s) => s.loadingMore);
  const nextMarker = useBrowser((s) => s.nextMarker);
  const listError = useBrowser((s) => s.listError);
  const selection = useBrowser((s) => s.selection);
  const focused = useBrowser((s) => s.focused);
  const kinds = useBrowser((s) => s.kinds);
  const statSizes = useBrowser((s) => s.statSizes);
  const { select, setFocused, setPrefix, loadMore, resolveKinds, setSelection } = useBrowser.getState();
  const openManifest = useManifest((s) => s.open);

  const rows = useMemo(() => sortEntries(entries, sort), [entries, sort]);
  const names = useMemo(() => rows.map((r) => r.name), [rows]);
  const v = useVirtual(rows.length, ROW, 8);
  const [dragOver, setDragOver] = useState<string | null>(null); // '' = the list, else a folder name
  const dragDepth = useRef(0);

  // Marker pagination: fetch the next page when the viewport nears the end of what is loaded.
  useEffect(() => {
    if (nextMarker && !loadingMore && !loading && v.end >= rows.length - 40) void loadMore();
  }, [v.end, rows.length, nextMarker, loadingMore, loading, loadMore]);

  // Resolve 'unknown' kinds for visible rows (debounced so fast scrolling stays cheap).
  useEffect(() => {
    const t = setTimeout(() => {
      const want: string[] = [];
      for (let i = v.start; i < v.end; i++) {
        const r = rows[i];
        if (r && r.type === 'object' && r.kind === 'unknown' && !kinds[`${container}/${r.name}`]) want.push(r.name);
      }
      if (want.length) resolveKinds(want);
    }, 250);
    return () => clearTimeout(t);
  }, [v.start, v.end, rows, kinds, container, resolveKinds]);

  const focusIndex = focused !== null ? names.indexOf(focused) : -1;

  const open = (entry: ObjectEntry) => {
    if (entry.type === 'folder') setPrefix(entry.name);
    else void openManifest(container, entry.name);
  };

  const moveFocus = (index: number, extend: boolean) => {
    const i = Math.max(0, Math.min(rows.length - 1, index));
    const name = names[i];
    if (name === undefined) return;
    if (extend) select(name, 'range', names);
    else select(name, 'replace', names);
    v.scrollToIndex(i);
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    const page = Math.max(1, Math.floor(v.viewportHeight / ROW) - 1);
    const cur = focusIndex;
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        if (e.altKey) return;
        if (e.ctrlKey || e.metaKey) {
          const n = names[Math.min(rows.length - 1, cur + 1)];
          if (n !== undefined) {
            setFocused(n);
            v.scrollToIndex(names.indexOf(n));
          }
        } else moveFocus(cur + 1, e.shiftKey);
        break;
      case 'ArrowUp':
        e.preventDefault();
        if (e.altKey) {
          goUp();
          return;
        }
        if (e.ctrlKey || e.metaKey) {
          const n = names[Math.max(0, cur - 1)];
          if (n !== undefined) {
            setFocused(n);
            v.scrollToIndex(names.indexOf(n));
          }
        } else moveFocus(cur < 0 ? 0 : cur - 1, e.shiftKey);
        break;
      case 'PageDown':
        e.preventDefault();
        moveFocus(cur + page, e.shiftKey);
        break;
      case 'PageUp':
        e.preventDefault();
        moveFocus(cur - page, e.shiftKey);
        break;
      case 'Home':
        e.preventDefault();
        moveFocus(0, e.shiftKey);
        break;
      case 'End':
        e.preventDefault();
        moveFocus(rows.length - 1, e.shiftKey);
        break;
      case 'Enter': {
        const r = rows[cur];
        if (r) {
          e.preventDefault();
          open(r);
        }
        break;
      }
      case ' ': {
        const n = names[cur];
        if (n !== undefined) {
          e.preventDefault();
          select(n, e.ctrlKey || e.metaKey ? 'toggle' : 'replace', names);
        }
        break;
      }
      case 'Backspace':
        e.preventDefault();
        goUp();
        break;
      case 'Delete': {
        const targets = rows
          .filter((r) => selection.has(r.name))
          .map(
            (r): DeleteTarget =>
              r.type === 'folder'
                ? { container, name: r.name, kind: 'unknown', folder: true }
                : { container, name: r.name, kind: r.kind !== 'unknown' ? r.kind : kinds[`${container}/${r.name}`] ?? 'unknown' },
          );
        if (targets.length) {
          e.preventDefault();
          onDelete(targets);
        }
        break;
      }
      case 'a':
        if (e.ctrlKey || e.metaKey) {
          e.preventDefault();
          setSelection(names);
        }
        break;
      case 'Escape':
        setSelection([]);
        break;
    }
  };

  const goUp = () => {
    if (!prefix) return;
    const parts = prefix.split('/').filter(Boolean);
    parts.pop();
    setPrefix(parts.length ? parts.join('/') + '/' : '');
  };

  const onDragEnter = (e: React.DragEvent) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    dragDepth.current++;
    if (dragOver === null) setDragOver('');
  };
  const onDragLeave = (e: React.DragEvent) => {
    if (!hasFiles(e)) return;
    dragDepth.current = Math.max(0, dragDepth.current - 1);
    if (dragDepth.current === 0) setDragOver(null);
  };
  const onDragOver = (e: React.DragEvent, folder: string) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    if (dragOver !== folder) setDragOver(folder);
  };
  const onDrop = (e: React.DragEvent, folder: string) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.stopPropagation();
    dragDepth.current = 0;
    setDragOver(null);
    if (dropHasFolder(e.dataTransfer)) return useFolders.getState().open(folder || prefix, batchFromDrop(e.dataTransfer));
    const files = localFilesFromList(e.dataTransfer.files, true);
    if (files.length) onDropFiles(files, folder || prefix);
  };

  const contextMenu = useObjectContextMenu(onDelete);
  const activeId = focusIndex >= 0 && focusIndex >= v.start && focusIndex < v.end ? `obj-row-${focusIndex}` : undefined;
  const objectCount = rows.filter((r) => r.type === 'object').length;

  return (
    <div
      className={`grid-wrap ${dragOver !== null ? 'drag-active' : ''}`}
      onContextMenu={contextMenu.onContextMenu}
      onKeyDown={contextMenu.onKeyDown}
      onDragEnter={onDragEnter}
      onDragLeave={onDragLeave}
      onDragOver={(e) => onDragOver(e, '')}
      onDrop={(e) => onDrop(e, '')}
    >
      <div role="grid" className="grid objects-grid" aria-label={`Objects in ${container}/${prefix}`} aria-rowcount={rows.length + 1} aria-multiselectable="true">
        <div role="rowgroup" className="grid-head">
          <div role="row" aria-rowindex={1} className="grid-row head">
            <SortHeader k="name" label="Name" className="col-name" />
            <div role="columnheader" className="cell col-kind">
              Kind
            </div>
            <SortHeader k="size" label="Size" className="col-size" />
            <SortHeader k="date" label="Modified" className="col-date" />
          </div>
        </div>
        <div
          role="rowgroup"
          className="grid-body"
          ref={v.ref}
          onScroll={v.onScroll}
          tabIndex={0}
          aria-label="Object rows"
          aria-activedescendant={activeId}
          onKeyDown={onKeyDown}
          onFocus={() => {
            if (focusIndex < 0 && names[0] !== undefined) setFocused(names[0]);
          }}
        >
          <div className="grid-spacer" role="presentation" style={{ height: v.totalHeight }}>
            {rows.slice(v.start, v.end).map((r, k) => {
              const i = v.start + k;
              const selected = selection.has(r.name);
              const kind = r.type === 'object' ? (r.kind !== 'unknown' ? r.kind : kinds[`${container}/${r.name}`] ?? 'unknown') : null;
              const label = displayName(r, prefix);
              return (
                <div
                  key={r.name}
                  id={`obj-row-${i}`}
                  role="row"
                  aria-rowindex={i + 2}
                  aria-selected={selected}
                  aria-label={label}
                  data-name={r.name}
                  className={`grid-row ${selected ? 'selected' : ''} ${i === focusIndex ? 'focused' : ''} ${r.type} ${dragOver === r.name ? 'drop-target' : ''}`}
                  style={{ transform: `translateY(${i * ROW}px)` }}
                  onMouseDown={(e) => {
                    if (e.shiftKey) e.preventDefault(); // no text selection on shift-click
                  }}
                  onClick={(e) => select(r.name, e.shiftKey ? 'range' : e.ctrlKey || e.metaKey ? 'toggle' : 'replace', names)}
                  onDoubleClick={() => open(r)}
                  onDragOver={r.type === 'folder' ? (e) => { e.stopPropagation(); onDragOver(e, r.name); } : undefined}
                  onDrop={r.type === 'folder' ? (e) => onDrop(e, r.name) : undefined}
                >
                  <div role="gridcell" className="cell col-name">
                    <Icon name={r.type === 'folder' ? 'folder' : kind === 'slo' || kind === 'dlo' ? 'layers' : 'file'} className={`row-icon ${r.type === 'folder' ? 'folder' : kind ?? ''}`} />
                    <span className="name-text" title={r.name}>
                      {label}
                    </span>
                  </div>
                  <div role="gridcell" className="cell col-kind">
                    {kind && <KindBadge kind={kind} />}
                  </div>
                  <div role="gridcell" className="cell col-size num" title={r.type === 'object' ? exactBytes(statSizes[`${container}/${r.name}`] ?? r.bytes) : undefined}>
                    {r.type === 'object' ? humanBytes(statSizes[`${container}/${r.name}`] ?? r.bytes) : <span className="muted">folder</span>}
                  </div>
                  <div role="gridcell" className="cell col-date">
                    {r.type === 'object' ? formatDate(r.lastModified) : ''}
                  </div>
                </div>
              );
            })}
          </div>
          {!loading && rows.length === 0 && !listError && (
            <div className="grid-empty">
              <EmptyState icon="upload" title={search ? `Nothing starts with “${search}”` : 'No objects here yet'}>
                {!search && 'Drop files here to upload them as verified segments plus a manifest.'}
              </EmptyState>
            </div>
          )}
          {loading && rows.length === 0 && (
            <div className="grid-empty">
              <Spinner label="Loading objects" />
            </div>
          )}
          {listError && rows.length === 0 && (
            <div className="grid-empty">
              <ErrorCallout error={listError} title="Listing failed" />
            </div>
          )}
        </div>
      </div>
      <div className="grid-status" role="status">
        <span>
          {formatCount(rows.length)} {rows.length === 1 ? 'item' : 'items'}
          {nextMarker ? ' loaded, more available' : ''}
          {loadingMore && (
            <>
              {' · '}
              <Spinner label="Loading more" /> loading more…
            </>
          )}
        </span>
        {sort.key !== 'name' && nextMarker && <span className="muted">Sorted among the {formatCount(objectCount)} loaded objects</span>}
        {selection.size > 0 && <span className="selection-count">{plural(selection.size, 'item')} selected</span>}
      </div>
      {dragOver !== null && (
        <div className="drop-overlay" aria-hidden="true">
          <Icon name="upload" size={28} />
          <div>
            Drop to upload into <code>{container}/{dragOver || prefix}</code>
          </div>
        </div>
      )}
      {contextMenu.menu}
    </div>
  );
}
