// Small shared pieces: modal dialog, size text, kind badge, error callout, spinner, progress bar.
import { useEffect, useId, useRef, type ReactNode } from 'react';
import type { ErrorValue, ObjectKind } from '../../../app/rpc/contract.ts';
import { exactBytes, humanBytes } from '../lib/format.ts';
import { copyText } from '../stores/transcript.ts';
import { toast } from '../stores/ui.ts';
import { Icon } from './Icon.tsx';

export function Modal(props: {
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  size?: 'small' | 'medium' | 'large';
  /** Accessible description id, if the body has a lead paragraph. */
  describedBy?: string;
  className?: string;
  /** False while something must not be interrupted: no close button, Escape ignored. */
  closable?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const { onClose } = props;
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) {
      d.showModal();
      // showModal focuses the first focusable element; prefer the one marked as the safe default.
      d.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    }
    return () => {
      if (d?.open) d.close();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className={`modal modal-${props.size ?? 'medium'} ${props.className ?? ''}`}
      aria-labelledby={titleId}
      aria-describedby={props.describedBy}
      onCancel={(e) => {
        e.preventDefault();
        if (props.closable !== false) onClose();
      }}
      onMouseDown={(e) => {
        // Click on the backdrop (the dialog element itself, outside its box) closes.
        if (e.target === ref.current && props.closable !== false) {
          const r = ref.current.getBoundingClientRect();
          if (e.clientX < r.left || e.clientX > r.right || e.clientY < r.top || e.clientY > r.bottom) onClose();
        }
      }}
    >
      <header className="modal-header">
        <h2 id={titleId}>{props.title}</h2>
        {props.closable !== false && (
          <button type="button" className="icon-button" aria-label="Close dialog" onClick={onClose}>
            <Icon name="x" />
          </button>
        )}
      </header>
      <div className="modal-body">{props.children}</div>
      {props.footer && <footer className="modal-footer">{props.footer}</footer>}
    </dialog>
  );
}

export function Bytes({ n, className }: { n: number | null | undefined; className?: string }) {
  return (
    <span className={className ? `bytes ${className}` : 'bytes'} title={exactBytes(n)}>
      {humanBytes(n)}
    </span>
  );
}

const KIND_LABEL: Record<ObjectKind, string> = { slo: 'SLO', dlo: 'DLO', plain: 'plain', unknown: '' };
const KIND_TITLE: Record<ObjectKind, string> = {
  slo: 'Static Large Object: a manifest listing its segments',
  dlo: 'Dynamic Large Object: segments found by prefix',
  plain: 'An ordinary object',
  unknown: '',
};

export function KindBadge({ kind }: { kind: ObjectKind }) {
  if (kind === 'unknown') return null;
  return (
    <span className={`badge kind-${kind}`} title={KIND_TITLE[kind]}>
      {KIND_LABEL[kind]}
    </span>
  );
}

export function TransId({ id }: { id: string }) {
  return (
    <span className="trans-id">
      <span className="muted">Transaction</span> <code>{id}</code>
      <button
        type="button"
        className="icon-button tiny"
        aria-label={`Copy transaction id ${id}`}
        title="Copy transaction id"
        onClick={() => void copyText(id).then((ok) => ok && toast({ kind: 'success', title: 'Copied transaction id' }))}
      >
        <Icon name="copy" size={13} />
      </button>
    </span>
  );
}

export function ErrorCallout({ error, title }: { error: ErrorValue; title?: string }) {
  return (
    <div className="callout callout-error" role="alert">
      <Icon name="alert" className="callout-icon" />
      <div className="callout-text">
        {title && <strong>{title}</strong>}
        <div>{error.message}</div>
        <div className="callout-meta">
          <span className="badge subtle">{error.kind}</span>
          {error.status !== undefined && <span className="badge subtle">HTTP {error.status}</span>}
          {error.transId && <TransId id={error.transId} />}
        </div>
        {error.detail && <pre className="callout-detail">{error.detail}</pre>}
      </div>
    </div>
  );
}

export function Callout({ kind, children }: { kind: 'info' | 'warning' | 'success'; children: ReactNode }) {
  return (
    <div className={`callout callout-${kind}`} role={kind === 'warning' ? 'note' : 'status'}>
      <Icon name={kind === 'success' ? 'check' : kind === 'warning' ? 'alert' : 'info'} className="callout-icon" />
      <div className="callout-text">{children}</div>
    </div>
  );
}

export function Spinner({ label }: { label?: string }) {
  return <span className="spinner" role="status" aria-label={label ?? 'Loading'} />;
}

export function EmptyState({ icon, title, children }: { icon: Parameters<typeof Icon>[0]['name']; title: string; children?: ReactNode }) {
  return (
    <div className="empty-state">
      <Icon name={icon} size={32} />
      <h3>{title}</h3>
      {children && <div className="empty-body">{children}</div>}
    </div>
  );
}

/** A transfer's bar: `pct` 0–100, and the sentence a screen reader hears (it starts with the rounded percentage). */
export function ProgressBar({ label, pct, detail }: { label: string; pct: number; detail: string }) {
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct)} aria-valuetext={`${Math.round(pct)}% — ${detail}`}>
      <div className="progress-fill" style={{ transform: `scaleX(${Math.min(100, Math.max(0, pct)) / 100})` }} />
    </div>
  );
}

/** One figure of a plan: the value large, what it counts small beneath (`title`: the exact value on hover). */
export function Stat({ value, label, title, mono, grow }: { value: ReactNode; label: string; title?: string; mono?: boolean; grow?: boolean }) {
  return (
    <div className={grow ? 'grow' : undefined}>
      <span className={mono ? 'stat-value mono' : 'stat-value'} title={title}>
        {value}
      </span>
      <span className="stat-label">{label}</span>
    </div>
  );
}

/** Every header of an object or container, sorted by name. */
export function HeaderTable({ headers, label }: { headers: Record<string, string>; label?: string }) {
  const rows = Object.entries(headers).sort(([a], [b]) => a.localeCompare(b));
  return (
    <table aria-label={label}>
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td className="mono">{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
