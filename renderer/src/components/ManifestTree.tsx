// Tree view of a (possibly nested) manifest: sub-manifests expand to their segments. A huge SLO arrives with its
// top-level entries only; its sub-manifests are read when expanded (slo.inspect of the sub-manifest), level by level.
import { useEffect, useState } from 'react';
import type { ErrorValue, ManifestNode } from '../../../app/rpc/contract.ts';
import { exactBytes, humanBytes } from '../lib/format.ts';
import { call, toErrorValue } from '../rpc/client.ts';
import { ErrorCallout, Spinner } from './common.tsx';
import { Icon } from './Icon.tsx';

/** A sub-manifest whose entries were not sent (a huge SLO): expandable, read on demand. */
function lazySub(n: ManifestNode): boolean {
  return n.kind === 'sub-slo' && n.children === undefined && n.leaves !== undefined;
}

/** The entries of the sub-manifest at "c/o", read when its node is first opened. */
function LazyChildren({ node, parentKey, level, open, toggle }: { node: ManifestNode; parentKey: string; level: number; open: ReadonlySet<string>; toggle: (k: string) => void }) {
  const [nodes, setNodes] = useState<ManifestNode[] | null>(null);
  const [error, setError] = useState<ErrorValue | null>(null);
  useEffect(() => {
    let live = true;
    const slash = node.path.indexOf('/');
    call('slo.inspect', { container: node.path.slice(0, slash), object: node.path.slice(slash + 1) }).then(
      (r) => live && setNodes(r.tree),
      (e: unknown) => live && setError(toErrorValue(e)),
    );
    return () => {
      live = false;
    };
  }, [node.path]);
  if (error) return <ErrorCallout error={error} title={`Could not read ${node.path}`} />;
  if (!nodes) return <div className="tree-more"><Spinner label={`Reading ${node.path}`} /></div>;
  return <TreeChildren nodes={nodes} parentKey={parentKey} level={level} open={open} toggle={toggle} />;
}

const CHUNK = 500;

export function ManifestTree({ root, nodes }: { root: string; nodes: ManifestNode[] }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set(['r']));
  const toggle = (key: string, to?: boolean) =>
    setOpen((s) => {
      const n = new Set(s);
      const want = to ?? !n.has(key);
      if (want) n.add(key);
      else n.delete(key);
      return n;
    });

  const expandAll = () => {
    const keys = new Set<string>(['r']);
    const walk = (ns: ManifestNode[], k: string) => ns.forEach((n, i) => {
      if (n.children?.length) {
        keys.add(`${k}.${i}`);
        walk(n.children, `${k}.${i}`);
      }
    });
    walk(nodes, 'r');
    setOpen(keys);
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLUListElement>) => {
    const items = Array.from(e.currentTarget.querySelectorAll<HTMLElement>('[role="treeitem"]'));
    const cur = items.indexOf(document.activeElement as HTMLElement);
    if (cur < 0) return;
    const el = items[cur]!;
    const key = el.dataset.key!;
    const expandable = el.getAttribute('aria-expanded') !== null;
    const focusAt = (i: number) => {
      const t = items[Math.max(0, Math.min(items.length - 1, i))];
      if (t) {
        items.forEach((x) => (x.tabIndex = -1));
        t.tabIndex = 0;
        t.focus();
      }
    };
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        focusAt(cur + 1);
        break;
      case 'ArrowUp':
        e.preventDefault();
        focusAt(cur - 1);
        break;
      case 'ArrowRight':
        e.preventDefault();
        if (expandable && !open.has(key)) toggle(key, true);
        else focusAt(cur + 1);
        break;
      case 'ArrowLeft': {
        e.preventDefault();
        if (expandable && open.has(key)) toggle(key, false);
        else {
          const parentKey = key.slice(0, key.lastIndexOf('.'));
          const p = items.findIndex((x) => x.dataset.key === parentKey);
          if (p >= 0) focusAt(p);
        }
        break;
      }
      case 'Enter':
      case ' ':
        e.preventDefault();
        if (expandable) toggle(key);
        break;
      case 'Home':
        e.preventDefault();
        focusAt(0);
        break;
      case 'End':
        e.preventDefault();
        focusAt(items.length - 1);
        break;
    }
  };

  const total = nodes.reduce((a, n) => a + n.size, 0);
  return (
    <div className="tree-wrap">
      <div className="tree-toolbar">
        <button type="button" className="button small" onClick={expandAll}>
          Expand all
        </button>
        <button type="button" className="button small" onClick={() => setOpen(new Set(['r']))}>
          Collapse all
        </button>
      </div>
      <ul role="tree" aria-label="Manifest tree" className="tree" onKeyDown={onKeyDown}>
        <li
          role="treeitem"
          aria-expanded={open.has('r')}
          aria-level={1}
          aria-label={root}
          data-key="r"
          tabIndex={0}
          className="tree-item"
          onClick={(e) => {
            if ((e.target as HTMLElement).closest('[role="treeitem"]') === e.currentTarget) toggle('r');
          }}
        >
          <div className="tree-line root">
            <Icon name={open.has('r') ? 'chevronDown' : 'chevronRight'} size={12} className="tree-chevron" />
            <Icon name="layers" className="tree-icon slo" />
            <code className="tree-path">{root}</code>
            <span className="tree-meta" title={exactBytes(total)}>
              {nodes.length.toLocaleString()} entries · {humanBytes(total)}
            </span>
          </div>
          {open.has('r') && <TreeChildren nodes={nodes} parentKey="r" level={2} open={open} toggle={toggle} />}
        </li>
      </ul>
    </div>
  );
}

function TreeChildren({ nodes, parentKey, level, open, toggle }: { nodes: ManifestNode[]; parentKey: string; level: number; open: ReadonlySet<string>; toggle: (k: string) => void }) {
  const [shown, setShown] = useState(CHUNK);
  return (
    <ul role="group" className="tree-group">
      {nodes.slice(0, shown).map((n, i) => {
        const key = `${parentKey}.${i}`;
        const lazy = lazySub(n);
        const expandable = (!!n.children && n.children.length > 0) || lazy;
        const isOpen = open.has(key);
        return (
          <li
            key={key}
            role="treeitem"
            aria-level={level}
            aria-expanded={expandable ? isOpen : undefined}
            aria-label={`${n.kind === 'sub-slo' ? 'Sub-manifest' : n.kind === 'data' ? 'Inline data' : 'Segment'} ${n.path || '(data)'}`}
            data-key={key}
            tabIndex={-1}
            className="tree-item"
            onClick={(e) => {
              if (expandable && (e.target as HTMLElement).closest('[role="treeitem"]') === e.currentTarget) toggle(key);
            }}
          >
            <div className="tree-line">
              {expandable ? <Icon name={isOpen ? 'chevronDown' : 'chevronRight'} size={12} className="tree-chevron" /> : <span className="tree-chevron-space" />}
              <Icon name={n.kind === 'sub-slo' ? 'layers' : 'file'} className={`tree-icon ${n.kind}`} />
              <code className="tree-path" title={n.path}>
                {n.kind === 'data' ? '(inline data)' : n.path}
              </code>
              {n.kind === 'sub-slo' && <span className="badge kind-slo">sub-manifest</span>}
              {n.range && <span className="badge subtle">range {n.range}</span>}
              {n.leaves !== undefined && (
                <span className="badge subtle">
                  {n.leaves.toLocaleString()} {n.leaves === 1 ? 'segment' : 'segments'} · depth {n.depth}
                </span>
              )}
              <span className="tree-meta" title={exactBytes(n.size)}>
                {humanBytes(n.size)}
              </span>
              {n.etag && <code className="tree-etag muted">{n.etag}</code>}
            </div>
            {expandable && isOpen && !lazy && <TreeChildren nodes={n.children!} parentKey={key} level={level + 1} open={open} toggle={toggle} />}
            {isOpen && lazy && <LazyChildren node={n} parentKey={key} level={level + 1} open={open} toggle={toggle} />}
          </li>
        );
      })}
      {nodes.length > shown && (
        <li role="none" className="tree-more">
          <button type="button" className="button small" onClick={() => setShown((s) => s + CHUNK * 4)}>
            Show {Math.min(CHUNK * 4, nodes.length - shown).toLocaleString()} more of {(nodes.length - shown).toLocaleString()}
          </button>
        </li>
      )}
    </ul>
  );
}
