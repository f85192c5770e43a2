// The right-click menu of object rows: the toolbar's actions for the selection, plus metadata, temp URL, copy,
// rename and move. It opens from the mouse (on a row: that row is selected first unless already in the selection) and
// from the keyboard (Shift+F10 or the ContextMenu key, on the focused row); arrows, Home/End, Enter and Escape work as
// in any menu, and focus returns where it was.
import { useLayoutEffect, useRef, useState, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';
import type { ObjectEntry } from '../../../app/rpc/contract.ts';
import { sortEntries, useBrowser } from '../stores/browser.ts';
import { useComposer } from '../stores/composer.ts';
import { useDoctor } from '../stores/doctor.ts';
import { useManifest } from '../stores/manifest.ts';
import { useObjOps } from '../stores/objops.ts';
import { downloadObject, type DeleteTarget } from './actions.ts';
import { downloadInto } from './FolderButtons.tsx';
import { Icon, type IconName } from './Icon.tsx';

type Item = { label: string; icon: IconName; disabled: boolean; run: () => void } | 'sep';
type ObjectRow = Extract<ObjectEntry, { type: 'object' }>;

/** The actions on the current selection, in the toolbar's terms. */
function itemsFor(onDelete: (t: DeleteTarget[]) => void): Item[] {
  const { container, prefix, entries, selection, kinds, sort } = useBrowser.getState();
  if (!container) return [];
  const objects = entries.filter((e): e is ObjectRow => e.type === 'object' && selection.has(e.name));
  const folders = entries.filter((e) => e.type === 'folder' && selection.has(e.name));
  const one = objects.length === 1 && folders.length === 0 ? objects[0]!.name : null;
  const kindOf = (o: ObjectRow) => (o.kind !== 'unknown' ? o.kind : kinds[`${container}/${o.name}`] ?? 'unknown');
  const ops = useObjOps.getState();
  const single = (label: string, icon: IconName, run: (name: string) => void): Item => ({ label, icon, disabled: one === null, run: () => one !== null && run(one) });
  return [
    single('Inspect', 'eye', (n) => void useManifest.getState().open(container, n)),
    single('Diagnose', 'info', (n) => void useDoctor.getState().open(container, n)),
    { label: objects.length > 1 ? `Download ${objects.length} objects` : 'Download', icon: 'download', disabled: objects.length === 0, run: () => objects.forEach((o) => void downloadObject(container, o.name)) },
    {
      label: 'Download into a folder…',
      icon: 'folder',
      disabled: objects.length + folders.length === 0,
      run: () => void downloadInto(container, prefix, folders.map((f) => f.name), objects.map((o) => o.name)),
    },
    'sep',
    single('Metadata…', 'list', (n) => ops.open({ kind: 'metadata', container, object: n })),
    single('Temp URL…', 'link', (n) => ops.open({ kind: 'tempurl', container, object: n })),
    single('Copy…', 'copy', (n) => ops.open({ kind: 'copy', container, object: n })),
    single('Rename…', 'edit', (n) => ops.open({ kind: 'rename', container, object: n })),
    single('Move…', 'move', (n) => ops.open({ kind: 'move', container, object: n })),
    {
      label: 'Compose SLO…',
      icon: 'layers',
      disabled: objects.length + folders.length === 0,
      run: () => {
        const shown = sortEntries(entries, sort).filter((e) => selection.has(e.name));
        useComposer.getState().openNew(container, shown.filter((e) => e.type === 'object').map((e) => `${container}/${e.name}`), shown.filter((e) => e.type === 'folder').map((e) => `${container}/${e.name}`));
      },
    },
    'sep',
    {
      label: objects.length + folders.length > 1 ? `Delete ${objects.length + folders.length} items…` : 'Delete…',
      icon: 'trash',
      disabled: objects.length + folders.length === 0,
      run: () =>
        onDelete([
          ...folders.map((f): DeleteTarget => ({ container, name: f.name, kind: 'unknown', folder: true })),
          ...objects.map((o): DeleteTarget => ({ container, name: o.name, kind: kindOf(o) })),
        ]),
    },
  ];
}

function ObjectContextMenu({ x, y, items, onClose }: { x: number; y: number; items: Item[]; onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState({ left: x, top: y });
  // Keep the menu inside the window, then focus its first enabled item.
  useLayoutEffect(() => {
    const m = ref.current;
    if (!m) return;
    const r = m.getBoundingClientRect();
    setPos({ left: Math.max(4, Math.min(x, innerWidth - r.width - 4)), top: Math.max(4, Math.min(y, innerHeight - r.height - 4)) });
    m.querySelector<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])')?.focus();
  }, [x, y]);

  const onKeyDown = (e: KeyboardEvent) => {
    const all = [...(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])') ?? [])];
    const i = all.indexOf(document.activeElement as HTMLElement);
    const go = (n: number) => all[(n + all.length) % all.length]?.focus();
    if (e.key === 'ArrowDown') go(i + 1);
    else if (e.key === 'ArrowUp') go(i - 1);
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(all.length - 1);
    else if (e.key === 'Escape' || e.key === 'Tab') onClose();
    else return;
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <div className="context-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()} onContextMenu={(e) => { e.preventDefault(); onClose(); }}>
      <div ref={ref} className="menu context-menu" role="menu" aria-label="Object actions" style={pos} onKeyDown={onKeyDown}>
        {items.map((it, k) =>
          it === 'sep' ? (
            <div key={`sep-${k}`} className="menu-sep" role="separator" />
          ) : (
            <button
              key={it.label}
              type="button"
              role="menuitem"
              className="menu-item"
              aria-disabled={it.disabled}
              tabIndex={-1}
              onClick={() => {
                if (it.disabled) return;
                onClose();
                it.run();
              }}
            >
              <Icon name={it.icon} /> {it.label}
            </button>
          ),
        )}
      </div>
    </div>
  );
}

/**
 * Wires the menu to the object list: spread `onContextMenu` and `onKeyDown` on the list's container (rows carry
 * `data-name`) and render `menu`.
 */
export function useObjectContextMenu(onDelete: (t: DeleteTarget[]) => void): { onContextMenu: (e: MouseEvent) => void; onKeyDown: (e: KeyboardEvent) => void; menu: ReactNode } {
  const [at, setAt] = useState<{ x: number; y: number; items: Item[]; back: HTMLElement | null } | null>(null);
  const openFor = (name: string, x: number, y: number) => {
    const b = useBrowser.getState();
    if (!b.selection.has(name)) b.select(name, 'replace', [name]);
    setAt({ x, y, items: itemsFor(onDelete), back: document.activeElement as HTMLElement | null });
  };
  const onContextMenu = (e: MouseEvent) => {
    const row = (e.target as HTMLElement).closest<HTMLElement>('[data-name]');
    if (!row?.dataset.name) return;
    e.preventDefault();
    openFor(row.dataset.name, e.clientX, e.clientY);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'ContextMenu' && !(e.key === 'F10' && e.shiftKey)) return;
    const b = useBrowser.getState();
    const name = b.focused ?? [...b.selection][0];
    if (name === undefined) return;
    e.preventDefault();
    const rows = [...document.querySelectorAll<HTMLElement>('[data-name]')];
    const r = rows.find((el) => el.dataset.name === name)?.getBoundingClientRect();
    openFor(name, r ? r.left + 32 : 120, r ? r.bottom : 120);
  };
  const close = () => {
    const back = at?.back;
    setAt(null);
    back?.focus();
  };
  return { onContextMenu, onKeyDown, menu: at && <ObjectContextMenu x={at.x} y={at.y} items={at.items} onClose={close} /> };
}
