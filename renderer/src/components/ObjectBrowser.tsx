// The object browser: breadcrumbs, prefix search, a virtualized grid of pseudo-folders and objects with
// marker pagination, multi-select, kind badges, drag-and-drop upload and the actions toolbar.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ObjectEntry } from '../../../app/rpc/contract.ts';
import { onEvent } from '../rpc/client.ts';
import { localFilesFromList, localFilesFromPaths, type LocalFile } from '../rpc/files.ts';
import { exactBytes, formatCount, formatDate, humanBytes, plural } from '../lib/format.ts';
import { indexOfLoaded, rowAt } from '../lib/listing-window.ts';
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
  const rowFilter = useBrowser((s) => s.rowFilter);
  const setRowFilter = useBrowser((s) => s.setRowFilter);
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
      <div className="search-box filter-box" title="Narrows the rows already in memory by a part of their name; asks Swift nothing">
        <Icon name="filter" size={14} />
        <input
          type="search"
          aria-label="Filter loaded rows"
          placeholder="Filter loaded rows"
          value={rowFilter}
          onChange={(e) => setRowFilter(e.target.value)}
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

/** Rows whose name (after the folder prefix) contains `filter`, case-insensitively. */
function filterLoaded(entries: readonly ObjectEntry[], filter: string, prefix: string): readonly ObjectEntry[] {
  const f = filter.toLowerCase();
  return f ? entries.filter((e) => displayName(e, prefix).toLowerCase().includes(f)) : entries;
}

function ObjectGrid({ onDropFiles, onDelete }: { onDropFiles: (files: LocalFile[], prefix: string) => void; onDelete: (t: DeleteTarget[]) => void }) {
  const container = useBrowser((s) => s.container)!;
  const prefix = useBrowser((s) => s.prefix);
  const search = useBrowser((s) => s.search);
  const entries = useBrowser((s) => s.entries);
  const listing = useBrowser((s) => s.listing);
  const rowFilter = useBrowser((s) => s.rowFilter);
  const sort = useBrowser((s) => s.sort);
  const loading = useBrowser((s) => s.loading);
  const fetching = useBrowser((s) => s.fetching);
  const scrollTo = useBrowser((s) => s.scrollTo);
  const listError = useBrowser((s) => s.listError);
  const selection = useBrowser((s) => s.selection);
  const focused = useBrowser((s) => s.focused);
  const kinds = useBrowser((s) => s.kinds);
  const statSizes = useBrowser((s) => s.statSizes);
  const { select, setFocused, setPrefix, ensureRows, jump, resolveKinds, setSelection } = useBrowser.getState();
  const openManifest = useManifest((s) => s.open);

  // Windowed: rows in Swift's order, positioned in the whole listing, fetched around the viewport. A listing that is
  // wholly loaded, another sort, or the substring filter show the loaded rows themselves (folders first).
  const whole = listing.win.atStart && listing.win.atEnd;
  const windowed = !whole && sort.key === 'name' && sort.dir === 'asc' && rowFilter === '';
  const local = useMemo(() => (windowed ? null : sortEntries(filterLoaded(entries, rowFilter, prefix), sort)), [windowed, entries, rowFilter, prefix, sort]);
  const rows: readonly ObjectEntry[] = local ?? entries;
  const base = local ? 0 : listing.win.start; // index of rows[0]
  const count = local ? local.length : listing.total;
  const names = useMemo(() => rows.map((r) => r.name), [rows]);
  const rowAtIndex = (i: number): ObjectEntry | undefined => rows[i - base];
  const v = useVirtual(count, ROW, 8);
  const [dragOver, setDragOver] = useState<string | null>(null); // '' = the list, else a folder name
  const dragDepth = useRef(0);
  const pendingFocus = useRef<{ index: number; extend: boolean } | null>(null);
  const typed = useRef({ text: '', at: 0 });
  const typedTimer = useRef<ReturnType<typeof setTimeout>>(undefined);

  // Pages follow the viewport: the store fetches around [start, end) and drops what is far.
  useEffect(() => {
    if (windowed) ensureRows(v.start, v.end);
  }, [windowed, v.start, v.end, ensureRows]);

  // An estimated window that snaps into place (it reached the start or the end) moves its rows to other indices:
  // follow them, so what is on screen stays put.
  const shown = useRef<{ name: string; index: number } | null>(null);
  useLayoutEffect(() => {
    const was = shown.current;
    const now = was && windowed ? indexOfLoaded(listing, was.name) : -1;
    if (was && now >= 0 && now !== was.index) v.scrollByRows(now - was.index);
    const i = Math.min(Math.max(v.start, listing.win.start), listing.win.start + listing.win.entries.length - 1);
    const row = windowed ? rowAt(listing, i) : undefined;
    shown.current = row ? { name: row.name, index: i } : null;
  }, [listing, windowed, v]);

  // Jumps (Home, End, a name, a refresh that selects) scroll once their rows are in.
  const scrollSeq = useRef(0);
  useEffect(() => {
    if (!scrollTo || scrollTo.seq === scrollSeq.current) return;
    scrollSeq.current = scrollTo.seq;
    v.scrollToIndex(scrollTo.index, 'center');
  }, [scrollTo, v]);

  // Resolve 'unknown' kinds for visible rows (debounced so fast scrolling stays cheap).
  useEffect(() => {
    const t = setTimeout(() => {
      const want: string[] = [];
      for (let i = v.start; i < v.end; i++) {
        const r = rows[i - base];
        if (r && r.type === 'object' && r.kind === 'unknown' && !kinds[`${container}/${r.name}`]) want.push(r.name);
      }
      if (want.length) resolveKinds(want);
    }, 250);
    return () => clearTimeout(t);
  }, [v.start, v.end, rows, base, kinds, container, resolveKinds]);

  const focusIndex = focused !== null && names.indexOf(focused) >= 0 ? base + names.indexOf(focused) : -1;

  const open = (entry: ObjectEntry) => {
    if (entry.type === 'folder') setPrefix(entry.name);
    else void openManifest(container, entry.name);
  };

  /** Selects row `i` as the store has it now (a jump resolves after this render's rows were taken). */
  const focusRow = (i: number, extend: boolean): boolean => {
    const fresh = windowed ? useBrowser.getState().entries : rows;
    const at = i - (windowed ? useBrowser.getState().listing.win.start : 0);
    const name = fresh[at]?.name;
    if (name === undefined) return false;
    select(name, extend ? 'range' : 'replace', fresh.map((r) => r.name));
    return true;
  };

  // A keyboard move onto a row still on its way selects it when it arrives.
  useEffect(() => {
    const p = pendingFocus.current;
    if (p && focusRow(p.index, p.extend)) pendingFocus.current = null;
  });

  const moveFocus = (index: number, extend: boolean) => {
    const i = Math.max(0, Math.min(count - 1, index));
    v.scrollToIndex(i);
    pendingFocus.current = focusRow(i, extend) ? null : { index: i, extend };
  };

  const jumpTo = (to: 'start' | 'end' | { name: string }, extend: boolean) => {
    if (!windowed) {
      if (to === 'start') moveFocus(0, extend);
      else if (to === 'end') moveFocus(count - 1, extend);
      else {
        const t = to.name.slice(prefix.length).toLowerCase();
        const i = rows.findIndex((r) => displayName(r, prefix).toLowerCase().startsWith(t));
        if (i >= 0) moveFocus(i, false);
      }
      return;
    }
    void jump(to).then((i) => {
      if (i !== null) focusRow(i, extend);
    });
  };

  /** Typing letters jumps to the first name at or after what was typed (within ¾ s, keys add up). */
  const typeToJump = (key: string) => {
    const now = Date.now();
    const text = (now - typed.current.at < 750 ? typed.current.text : '') + key;
    typed.current = { text, at: now };
    // One jump per burst of typing, shortly after its last key.
    clearTimeout(typedTimer.current);
    typedTimer.current = setTimeout(() => jumpTo({ name: prefix + text }, false), 120);
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    const page = Math.max(1, Math.floor(v.viewportHeight / ROW) - 1);
    const cur = focusIndex;
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        if (e.altKey) return;
        if (e.ctrlKey || e.metaKey) {
          const n = rowAtIndex(Math.min(count - 1, cur + 1))?.name;
          if (n !== undefined) {
            setFocused(n);
            v.scrollToIndex(Math.min(count - 1, cur + 1));
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
          const n = rowAtIndex(Math.max(0, cur - 1))?.name;
          if (n !== undefined) {
            setFocused(n);
            v.scrollToIndex(Math.max(0, cur - 1));
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
        jumpTo('start', e.shiftKey);
        break;
      case 'End':
        e.preventDefault();
        jumpTo('end', e.shiftKey);
        break;
      case 'Enter': {
        const r = rowAtIndex(cur);
        if (r) {
          e.preventDefault();
          open(r);
        }
        break;
      }
      case ' ': {
        const n = rowAtIndex(cur)?.name;
        if (n !== undefined && Date.now() - typed.current.at >= 750) {
          e.preventDefault();
          select(n, e.ctrlKey || e.metaKey ? 'toggle' : 'replace', names);
        } else if (n !== undefined) {
          e.preventDefault();
          typeToJump(' ');
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
          break;
        }
        typeToJump(e.key);
        break;
      case 'Escape':
        setSelection([]);
        break;
      default:
        if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) {
          e.preventDefault();
          typeToJump(e.key);
        }
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
      <div role="grid" className="grid objects-grid" aria-label={`Objects in ${container}/${prefix}`} aria-rowcount={count + 1} aria-multiselectable="true">
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
            const first = rowAtIndex(Math.max(v.start, base))?.name;
            if (focusIndex < 0 && first !== undefined) setFocused(first);
          }}
        >
          <div className="grid-spacer" role="presentation" style={{ height: v.totalHeight }}>
            {Array.from({ length: Math.max(0, v.end - v.start) }, (_, k) => {
              const i = v.start + k;
              const r = rowAtIndex(i);
              if (!r) return <PendingRow key={`pending-${i}`} index={i} top={v.top(i)} />;
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
                  style={{ transform: `translateY(${v.top(i)}px)` }}
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
          {!loading && count === 0 && !listError && rowFilter && (
            <div className="grid-empty">
              <EmptyState icon="search" title={`No loaded row contains “${rowFilter}”`}>
                The filter looks only at the {formatCount(entries.length)} rows in memory; the prefix search asks Swift.
              </EmptyState>
            </div>
          )}
          {!loading && count === 0 && !listError && !rowFilter && (
            <div className="grid-empty">
              <EmptyState icon="upload" title={search ? `Nothing starts with “${search}”` : 'No objects here yet'}>
                {!search && 'Drop files here to upload them as verified segments plus a manifest.'}
              </EmptyState>
            </div>
          )}
          {loading && entries.length === 0 && (
            <div className="grid-empty">
              <Spinner label="Loading objects" />
            </div>
          )}
          {listError && entries.length === 0 && (
            <div className="grid-empty">
              <ErrorCallout error={listError} title="Listing failed" />
            </div>
          )}
        </div>
      </div>
      <div className="grid-status">
        <span role="status">
          {loading && entries.length === 0 ? 'Loading…' : <ListingCount count={count} windowed={windowed} local={local !== null} />}
          {fetching && !loading && ' · loading…'}
        </span>
        {windowed && entries.length > 0 && (
          <span className="muted" title="Only the rows around what is on screen are kept in memory; the rest is fetched by name as you scroll or jump.">
            rows {formatCount(listing.win.start + 1)}–{formatCount(listing.win.start + entries.length)}
            {listing.win.from === null ? ' (position estimated)' : ''} in memory
          </span>
        )}
        {!windowed && !whole && sort.key !== 'name' && <span className="muted">Sorted among the {formatCount(objectCount)} loaded objects</span>}
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

/** A row whose page is on its way: holds its place so the scrollbar and the rows around it stay put. */
function PendingRow({ index, top }: { index: number; top: number }) {
  return (
    <div role="row" aria-rowindex={index + 2} aria-busy="true" aria-label="Loading row" className="grid-row pending" style={{ transform: `translateY(${top}px)` }}>
      <div role="gridcell" className="cell col-name">
        <span className="pending-bar" />
      </div>
    </div>
  );
}

/** "1,000,000 items", "about 1,000,000 items" (folders collapse rows) or "at least 2,001 items" (no count yet). */
function ListingCount({ count, windowed, local }: { count: number; windowed: boolean; local: boolean }) {
  const listing = useBrowser((s) => s.listing);
  const rowFilter = useBrowser((s) => s.rowFilter);
  const loaded = useBrowser((s) => s.entries.length);
  if (local && rowFilter) return <>{`${formatCount(count)} of ${plural(loaded, 'loaded row')} match “${rowFilter}”`}</>;
  if (local && !windowed && !(listing.win.atStart && listing.win.atEnd)) return <>{`${plural(loaded, 'loaded item')} of ${qualifier(listing.count)}${plural(listing.total, 'item')}`}</>;
  return <>{`${qualifier(listing.count)}${plural(count, 'item')}`}</>;
}

function qualifier(c: 'exact' | 'about' | 'atLeast'): string {
  return c === 'about' ? 'about ' : c === 'atLeast' ? 'at least ' : '';
}
