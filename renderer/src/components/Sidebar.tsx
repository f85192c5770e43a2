// Containers: filter, create, delete (empty only), hide segment containers.
import { useEffect, useMemo, useState } from 'react';
import type { ContainerEntry } from '../../../app/rpc/contract.ts';
import { call } from '../rpc/client.ts';
import { useBrowser } from '../stores/browser.ts';
import { useConnection } from '../stores/connection.ts';
import { useUi } from '../stores/ui.ts';
import { exactBytes, formatCount, humanBytes, plural } from '../lib/format.ts';
import { Callout, EmptyState, ErrorCallout, Modal, Spinner } from './common.tsx';
import { DemoButton } from './DemoButton.tsx';
import { Icon } from './Icon.tsx';

export function Sidebar() {
  const containers = useBrowser((s) => s.containers);
  const loaded = useBrowser((s) => s.containersLoaded);
  const loading = useBrowser((s) => s.containersLoading);
  const error = useBrowser((s) => s.containersError);
  const current = useBrowser((s) => s.container);
  const filter = useBrowser((s) => s.containerFilter);
  const setFilter = useBrowser((s) => s.setContainerFilter);
  const hideSegments = useBrowser((s) => s.hideSegments);
  const setHideSegments = useBrowser((s) => s.setHideSegments);
  const openContainer = useBrowser((s) => s.openContainer);
  const loadContainers = useBrowser((s) => s.loadContainers);
  const connected = useConnection((s) => s.current !== null);
  const setCreateOpen = useUi((s) => s.setCreateContainerOpen);
  const [toDelete, setToDelete] = useState<ContainerEntry | null>(null);

  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return f ? containers.filter((c) => c.name.toLowerCase().includes(f)) : containers;
  }, [containers, filter]);

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
          placeholder="Filter containers"
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
        {loaded && containers.length === 0 && (
          <EmptyState icon="folder" title="No containers yet">
            <button type="button" className="button small primary" onClick={() => setCreateOpen(true)}>
              Create a container
            </button>
            <DemoButton />
          </EmptyState>
        )}
        {loaded && containers.length > 0 && shown.length === 0 && <div className="muted pad">No container matches “{filter}”.</div>}
        {shown.length > 0 && (
          <ul className="container-items" aria-label="Container list">
            {shown.map((c, i) => (
              <li key={c.name} className={`container-item ${c.name === current ? 'selected' : ''}`}>
                <button
                  type="button"
                  className="container-select"
                  // Roving tab stop: Tab enters the list once; arrows move; Delete deletes.
                  tabIndex={c.name === current || (!shown.some((x) => x.name === current) && i === 0) ? 0 : -1}
                  aria-keyshortcuts="Delete"
                  aria-current={c.name === current ? 'true' : undefined}
                  aria-label={c.name}
                  aria-describedby={`cmeta-${cssId(c.name)}`}
                  onClick={() => openContainer(c.name)}
                  onKeyDown={(e) => {
                    if (e.key === 'Delete') {
                      e.preventDefault();
                      setToDelete(c);
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
                    <span className="container-name" title={c.name}>
                      {c.name}
                    </span>
                    <span className="container-meta" id={`cmeta-${cssId(c.name)}`} title={`${formatCount(c.count)} objects, ${exactBytes(c.bytes)}`}>
                      {plural(c.count, 'object')} · {humanBytes(c.bytes)}
                    </span>
                  </span>
                </button>
                <button
                  type="button"
                  className="icon-button row-action"
                  tabIndex={-1}
                  aria-label={`Delete container ${c.name}`}
                  title="Delete container"
                  onClick={() => setToDelete(c)}
                >
                  <Icon name="trash" size={14} />
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      {toDelete && <DeleteContainerDialog container={toDelete} onClose={() => setToDelete(null)} />}
    </nav>
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
