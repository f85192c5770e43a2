// Containers: filter, create, delete (empty only), hide segment containers.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ContainerEntry } from '../../../app/rpc/contract.ts';
import { call } from '../rpc/client.ts';
import { useBrowser } from '../stores/browser.ts';
import { useConnection } from '../stores/connection.ts';
import { useUi } from '../stores/ui.ts';
import { exactBytes, formatCount, humanBytes, plural } from '../lib/format.ts';
import { useVirtual } from '../lib/useVirtual.ts';
import { Callout, EmptyState, ErrorCallout, Modal, Spinner } from './common.tsx';
import { DemoButton } from './DemoButton.tsx';
import { Icon } from './Icon.tsx';

export function Sidebar() {
  const containers = useBrowser((s) => s.containers);
  const loaded = useBrowser((s) => s.containersLoaded);
  const loading = useBrowser((s) => s.containersLoading);
  const error = useBrowser((s) => s.containersError);
  const current = useBrowser((s) => s.container);
  const stat = useBrowser((s) => s.containerStat);
  const filter = useBrowser((s) => s.containerFilter);
  const setFilter = useBrowser((s) => s.setContainerFilter);
  const hideSegments = useBrowser((s) => s.hideSegments);
  const setHideSegments = useBrowser((s) => s.setHideSegments);
  const loadContainers = useBrowser((s) => s.loadContainers);
  const connected = useConnection((s) => s.current !== null);
  const setCreateOpen = useUi((s) => s.setCreateContainerOpen);
  const [toDelete, setToDelete] = useState<ContainerEntry | null>(null);

  const windowed = useBrowser((s) => s.containerWindow !== null);
  // A small account filters what it holds by substring; a windowed one sends the filter to Swift as a prefix.
  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return f && !windowed ? containers.filter((c) => c.name.toLowerCase().includes(f)) : containers;
  }, [containers, filter, windowed]);

  return (
    <nav className="sidebar" aria-label="Containers">
      <div className="sidebar-head">
        <h2>Containers</h2>
        <div className="sidebar-actions">
          <button type="button" className="icon-button" aria-label="Refresh containers" title="Refresh" disabled={!connected} onClick={() => void loadContainers()}>
            <Icon name="refresh" />
          </button>
          <button type="button" className="icon-button" aria-label="Create container" title="New container" disabled={!connected} onClick={() => setCreateOpen(true)}>
            <Icon name="plus" />
          </button>
        </div>
      </div>
      <div className="sidebar-filter">
        <Icon name="search" size={14} />
        <input
          type="search"
          placeholder={windowed ? 'Containers starting with…' : 'Filter containers'}
          aria-label="Filter containers"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
      </div>
      <label className="check-row">
        <input type="checkbox" checked={hideSegments} onChange={(e) => setHideSegments(e.target.checked)} />
        Hide segment containers
      </label>
      <div className="container-list">
        {error && !loading && <ErrorCallout error={error} />}
        {!loaded && loading && (
          <div className="sidebar-loading">
            <Spinner label="Loading containers" /> Loading…
          </div>
        )}
        {loaded && containers.length === 0 && !windowed && (
          <EmptyState icon="folder" title="No containers yet">
            <button type="button" className="button small primary" onClick={() => setCreateOpen(true)}>
              Create a container
            </button>
            <DemoButton />
          </EmptyState>
        )}
        {windowed && loaded && containers.length === 0 && filter.trim() && <div className="muted pad">No container starts with “{filter.trim()}”.</div>}
        {loaded && containers.length > 0 && shown.length === 0 && <div className="muted pad">No container matches “{filter}”.</div>}
        {windowed && <WindowedContainers onDelete={setToDelete} />}
        {!windowed && shown.length > 0 && (
          <ul className="container-items" aria-label="Container list">
            {shown.map((c, i) => (
              <ContainerItem
                key={c.name}
                entry={c}
                current={current}
                stat={c.name === current ? stat : null}
                // Roving tab stop: Tab enters the list once; arrows move; Delete deletes.
                tabStop={c.name === current || (!shown.some((x) => x.name === current) && i === 0)}
                onDelete={setToDelete}
              />
            ))}
          </ul>
        )}
      </div>
      {toDelete && <DeleteContainerDialog container={toDelete} onClose={() => setToDelete(null)} />}
    </nav>
  );
}

const ITEM = 46;

function ContainerItem({
  entry: c,
  current,
  stat,
  tabStop,
  onDelete,
  top,
  index,
  onKey,
}: {
  entry: ContainerEntry;
  current: string | null;
  stat: ContainerEntry | null;
  tabStop: boolean;
  onDelete: (c: ContainerEntry) => void;
  /** Windowed lists place items absolutely. */
  top?: number;
  index?: number;
  /** Keys a windowed list handles itself (Home, End, pages, type-to-jump: the DOM holds only a window); true if it did. */
  onKey?: (e: React.KeyboardEvent) => boolean;
}) {
  const openContainer = useBrowser((s) => s.openContainer);
  return (
    <li className={`container-item ${c.name === current ? 'selected' : ''}`} data-index={index} style={top !== undefined ? { transform: `translateY(${top}px)` } : undefined}>
      <button
        type="button"
        className="container-select"
        tabIndex={tabStop ? 0 : -1}
        aria-keyshortcuts="Delete"
        aria-current={c.name === current ? 'true' : undefined}
        aria-label={c.name}
        aria-describedby={`cmeta-${cssId(c.name)}`}
        onClick={() => openContainer(c.name)}
        onKeyDown={(e) => {
          if (e.key === 'Delete') {
            e.preventDefault();
            onDelete(c);
          } else if (onKey?.(e)) {
            e.preventDefault();
          } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp' || e.key === 'Home' || e.key === 'End') {
            e.preventDefault();
            const li = e.currentTarget.parentElement;
            const sib =
              e.key === 'ArrowDown'
                ? li?.nextElementSibling
                : e.key === 'ArrowUp'
                  ? li?.previousElementSibling
                  : e.key === 'Home'
                    ? li?.parentElement?.firstElementChild
                    : li?.parentElement?.lastElementChild;
            (sib?.querySelector('.container-select') as HTMLElement | null)?.focus();
          }
        }}
      >
        <Icon name="folder" className="container-icon" />
        <span className="container-text">
          <MiddleEllipsis className="container-name" text={c.name} />
          <ContainerMeta entry={c} stat={stat} />
        </span>
      </button>
      <button type="button" className="icon-button row-action" tabIndex={-1} aria-label={`Delete container ${c.name}`} title="Delete container" onClick={() => onDelete(c)}>
        <Icon name="trash" size={14} />
      </button>
    </li>
  );
}

/**
 * The container list of an account too big to list whole: the account's count (HEAD) sizes the scrollbar and only
 * the pages around what is on screen are fetched, as in the object list.
 */
function WindowedContainers({ onDelete }: { onDelete: (c: ContainerEntry) => void }) {
  const listing = useBrowser((s) => s.containerWindow)!;
  const current = useBrowser((s) => s.container);
  const stat = useBrowser((s) => s.containerStat);
  const scrollTo = useBrowser((s) => s.containerScrollTo);
  const { ensureContainerRows, jumpContainers, showContainerAt } = useBrowser.getState();
  const v = useVirtual(listing.total, ITEM, 6);
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => ensureContainerRows(v.start, v.end), [v.start, v.end, ensureContainerRows]);
  // A jump (or a page key) moves focus to a row that may still be on its way: focus it once it is rendered.
  const pending = useRef<number | null>(null);
  const seq = useRef(0);
  useEffect(() => {
    if (!scrollTo || scrollTo.seq === seq.current) return;
    seq.current = scrollTo.seq;
    v.scrollToIndex(scrollTo.index);
    pending.current = scrollTo.index;
  }, [scrollTo, v]);
  useEffect(() => {
    if (pending.current === null) return;
    const el = listRef.current?.querySelector(`[data-index="${pending.current}"] .container-select`) as HTMLElement | null;
    if (el) {
      el.focus();
      pending.current = null;
    }
  });
  const typed = useRef({ text: '', at: 0, timer: undefined as ReturnType<typeof setTimeout> | undefined });
  const onKey = (index: number) => (e: React.KeyboardEvent): boolean => {
    const page = Math.max(1, Math.floor(v.viewportHeight / ITEM) - 1);
    if (e.key === 'Home' || e.key === 'End') void jumpContainers(e.key === 'Home' ? 'start' : 'end');
    else if (e.key === 'PageDown') showContainerAt(index + page);
    else if (e.key === 'PageUp') showContainerAt(index - page);
    else if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) {
      // Letters typed within ¾ s add up to a name; the first container at or after it gets focus.
      const now = Date.now();
      const text = (now - typed.current.at < 750 ? typed.current.text : '') + e.key;
      clearTimeout(typed.current.timer);
      typed.current = { text, at: now, timer: setTimeout(() => void jumpContainers({ name: text }), 120) };
    } else return false;
    return true;
  };

  const q = listing.count === 'about' ? 'about ' : listing.count === 'atLeast' ? 'at least ' : '';
  const items = [];
  for (let i = v.start; i < v.end; i++) {
    const c = listing.win.entries[i - listing.win.start];
    if (!c) {
      items.push(<li key={`pending-${i}`} className="container-item pending" aria-busy="true" aria-label="Loading container" style={{ transform: `translateY(${v.top(i)}px)` }} />);
      continue;
    }
    items.push(
      <ContainerItem
        key={c.name}
        entry={c}
        current={current}
        stat={c.name === current ? stat : null}
        tabStop={c.name === current || i === v.start}
        onDelete={onDelete}
        top={v.top(i)}
        index={i}
        onKey={onKey(i)}
      />,
    );
  }
  return (
    <>
      <div className="muted container-count" role="status">{`${q}${plural(listing.total, 'container')}`}</div>
      <div className="container-window" ref={v.ref} onScroll={v.onScroll}>
        <ul ref={listRef} className="container-items windowed" aria-label="Container list" style={{ height: v.totalHeight }}>
          {items}
        </ul>
      </div>
    </>
  );
}

/** Cuts a long name in the middle, so names that differ only at the end stay distinguishable; the full name is the title. */
function MiddleEllipsis({ text, className }: { text: string; className: string }) {
  const tail = Math.min(12, Math.floor(text.length / 2));
  return (
    <span className={`middle-ellipsis ${className}`} title={text}>
      <span className="me-head">{text.slice(0, text.length - tail)}</span>
      <span className="me-tail">{text.slice(text.length - tail)}</span>
    </span>
  );
}

/**
 * Count and bytes. For the open container they come from its HEAD (`stat`): the account listing's are updated by
 * Swift in the background and lag; when they differ, the listing's figure is marked stale.
 */
function ContainerMeta({ entry, stat }: { entry: ContainerEntry; stat: ContainerEntry | null }) {
  const shown = stat ?? entry;
  const stale = stat !== null && (stat.count !== entry.count || stat.bytes !== entry.bytes);
  return (
    <span className="container-meta" id={`cmeta-${cssId(entry.name)}`} title={`${formatCount(shown.count)} objects, ${exactBytes(shown.bytes)}`}>
      {plural(shown.count, 'object')} · {humanBytes(shown.bytes)}
      {stale && (
        <span
          className="stale-mark"
          title={`The account listing still says ${plural(entry.count, 'object')}, ${exactBytes(entry.bytes)}: Swift updates it in the background. The count shown is the container's own (HEAD).`}
        >
          {' '}
          · listing stale ({formatCount(entry.count)})
        </span>
      )}
    </span>
  );
}

function DeleteContainerDialog({ container, onClose }: { container: ContainerEntry; onClose: () => void }) {
  const deleteContainer = useBrowser((s) => s.deleteContainer);
  const [busy, setBusy] = useState(false);
  // Container stats lag behind deletes in Swift, so ask the listing itself whether anything is left.
  const [empty, setEmpty] = useState<boolean | null>(null);
  useEffect(() => {
    let live = true;
    call('objects.list', { container: container.name, limit: 1 })
      .then((r) => live && setEmpty(r.entries.length === 0))
      .catch(() => live && setEmpty(container.count === 0));
    return () => {
      live = false;
    };
  }, [container]);
  const title = empty === null ? `Delete container ${container.name}?` : empty ? `Delete container ${container.name}?` : `${container.name} is not empty`;
  return (
    <Modal
      title={title}
      onClose={onClose}
      size="small"
      footer={
        empty === false ? (
          <button type="button" className="button primary" onClick={onClose}>
            OK
          </button>
        ) : (
          <>
            <button type="button" className="button" onClick={onClose}>
              Cancel
            </button>
            <button
              type="button"
              className="button danger"
              disabled={busy || empty === null}
              onClick={async () => {
                setBusy(true);
                const ok = await deleteContainer(container.name);
                setBusy(false);
                if (ok) onClose();
              }}
            >
              {busy ? 'Deleting…' : 'Delete container'}
            </button>
          </>
        )
      }
    >
      {empty === null && (
        <p className="muted">
          <Spinner label="Checking" /> Checking that the container is empty…
        </p>
      )}
      {empty === true && <p>The container is empty. Deleting it cannot be undone.</p>}
      {empty === false && (
        <Callout kind="warning">
          Swift only deletes empty containers. <strong>{container.name}</strong> still holds objects
          {container.count > 0 ? ` (${plural(container.count, 'object')}, ${humanBytes(container.bytes)} by the last count)` : ''}. Delete them first —
          deleting an SLO manifest here also deletes its segments.
        </Callout>
      )}
    </Modal>
  );
}

export function CreateContainerDialog() {
  const open = useUi((s) => s.createContainerOpen);
  const setOpen = useUi((s) => s.setCreateContainerOpen);
  if (!open) return null;
  return <CreateContainerForm onClose={() => setOpen(false)} />;
}

function CreateContainerForm({ onClose }: { onClose: () => void }) {
  const createContainer = useBrowser((s) => s.createContainer);
  const max = useConnection((s) => s.current?.capabilities.maxContainerNameLength ?? 256);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const problem = name.includes('/')
    ? 'Container names cannot contain “/”.'
    : new TextEncoder().encode(name).length > max
      ? `At most ${max} bytes.`
      : null;
  const submit = async () => {
    if (!name || problem) return;
    setBusy(true);
    const ok = await createContainer(name);
    setBusy(false);
    if (ok) onClose();
  };
  return (
    <Modal
      title="New container"
      onClose={onClose}
      size="small"
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="create-container" className="button primary" disabled={!name || !!problem || busy}>
            {busy ? 'Creating…' : 'Create'}
          </button>
        </>
      }
    >
      <form
        id="create-container"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label className="field">
          <span>Container name</span>
          <input data-autofocus value={name} onChange={(e) => setName(e.target.value)} aria-invalid={!!problem} spellCheck={false} />
        </label>
        {problem && <div className="field-error">{problem}</div>}
      </form>
    </Modal>
  );
}

function cssId(name: string): string {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) | 0;
  return (h >>> 0).toString(36);
}
