import { useEffect, useRef, useState } from 'react';
import { useConnection } from '../stores/connection.ts';
import { useTransfers, ACTIVE_STATES } from '../stores/transfers.ts';
import { useTranscript } from '../stores/transcript.ts';
import { useUi } from '../stores/ui.ts';
import { humanBytes, formatCount } from '../lib/format.ts';
import { Icon } from './Icon.tsx';
import { Spinner } from './common.tsx';

function ConnectionSwitcher() {
  const current = useConnection((s) => s.current);
  const phase = useConnection((s) => s.phase);
  const connectingTo = useConnection((s) => s.connectingTo);
  const profiles = useConnection((s) => s.profiles);
  const open = useConnection((s) => s.open);
  const openSandbox = useConnection((s) => s.openSandbox);
  const close = useConnection((s) => s.close);
  const setConnectionsOpen = useUi((s) => s.setConnectionsOpen);
  const [menu, setMenu] = useState(false);
  const wrap = useRef<HTMLDivElement>(null);
  const firstItem = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!menu) return;
    firstItem.current?.focus();
    const onDown = (e: MouseEvent) => {
      if (wrap.current && !wrap.current.contains(e.target as Node)) setMenu(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [menu]);

  const label =
    phase === 'connecting' ? `Connecting to ${connectingTo ?? '…'}` : current ? current.profileName : phase === 'starting' ? 'Starting…' : 'Not connected';
  const caps = current?.capabilities;

  const onMenuKey = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') {
      setMenu(false);
      (wrap.current?.querySelector('.switcher-button') as HTMLElement | null)?.focus();
      return;
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const items = Array.from(wrap.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);
    const i = items.indexOf(document.activeElement as HTMLElement);
    const next = items[(i + (e.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length];
    next?.focus();
  };

  return (
    <div className="switcher" ref={wrap}>
      <button
        type="button"
        className={`switcher-button ${current ? 'connected' : ''}`}
        aria-haspopup="menu"
        aria-expanded={menu}
        aria-label={`Connection: ${label}`}
        onClick={() => setMenu((m) => !m)}
      >
        {phase === 'connecting' || phase === 'starting' ? <Spinner label="Connecting" /> : <span className={`dot ${current ? 'ok' : 'off'}`} aria-hidden="true" />}
        <span className="switcher-text">
          <span className="switcher-name">{label}</span>
          {current && <span className="switcher-account">{current.account}</span>}
        </span>
        <Icon name="chevronDown" size={14} />
      </button>
      {menu && (
        <div className="menu" role="menu" aria-label="Connections" onKeyDown={onMenuKey}>
          {current && (
            <div className="menu-info" role="presentation">
              <div className="menu-info-row">
                <span className="muted">Storage URL</span>
                <code title={current.storageUrl}>{current.storageUrl}</code>
              </div>
              {caps && (
                <div className="menu-info-grid">
                  <span className="muted">Swift</span>
                  <span>{caps.swiftVersion ?? 'unknown version'}</span>
                  <span className="muted">SLO</span>
                  <span>
                    {caps.slo
                      ? `≤ ${formatCount(caps.slo.maxManifestSegments)} segments, min ${humanBytes(caps.slo.minSegmentSize)}`
                      : 'not enabled'}
                  </span>
                  <span className="muted">Max object</span>
                  <span>{humanBytes(caps.maxFileSize)}</span>
                  <span className="muted">DLO / bulk delete</span>
                  <span>
                    {caps.dlo ? 'yes' : 'no'} / {caps.bulkDelete ? 'yes' : 'no'}
                  </span>
                </div>
              )}
            </div>
          )}
          {profiles.length > 0 && <div className="menu-heading">Switch to</div>}
          {profiles.map((p, i) => (
            <button
              key={p.id}
              ref={i === 0 ? firstItem : undefined}
              type="button"
              role="menuitem"
              className="menu-item"
              aria-current={current?.profileId === p.id ? 'true' : undefined}
              onClick={() => {
                setMenu(false);
                void open(p.id);
              }}
            >
              <span className={`dot ${current?.profileId === p.id ? 'ok' : 'off'}`} aria-hidden="true" />
              <span className="menu-item-text">
                {p.name}
                <span className="muted small">{p.identity}</span>
              </span>
              {p.sandbox && <span className="badge subtle">sandbox</span>}
            </button>
          ))}
          <div className="menu-sep" role="separator" />
          <button
            type="button"
            role="menuitem"
            className="menu-item"
            ref={profiles.length === 0 ? firstItem : undefined}
            onClick={() => {
              setMenu(false);
              void openSandbox();
            }}
          >
            <Icon name="server" /> Connect to local sandbox
          </button>
          <button
            type="button"
            role="menuitem"
            className="menu-item"
            onClick={() => {
              setMenu(false);
              setConnectionsOpen(true);
            }}
          >
            <Icon name="edit" /> Manage connections…
          </button>
          {current && (
            <button
              type="button"
              role="menuitem"
              className="menu-item"
              onClick={() => {
                setMenu(false);
                void close();
              }}
            >
              <Icon name="x" /> Disconnect
            </button>
          )}
        </div>
      )}
    </div>
  );
}

export function TopBar() {
  const theme = useUi((s) => s.theme);
  const toggleTheme = useUi((s) => s.toggleTheme);
  const dock = useUi((s) => s.dock);
  const setDock = useUi((s) => s.setDock);
  const active = useTransfers((s) => s.order.filter((id) => { const t = s.byId[id]; return t && ACTIVE_STATES.has(t.state); }).length);
  const requests = useTranscript((s) => s.entries.length);

  const toggleTab = (tab: 'transfers' | 'requests') => {
    if (dock.open && dock.tab === tab) setDock({ open: false });
    else setDock({ open: true, tab });
  };

  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          <Icon name="layers" size={18} />
        </span>
        <span className="brand-name">SLO Studio</span>
      </div>
      <ConnectionSwitcher />
      <div className="topbar-spacer" />
      <button
        type="button"
        className={`toolbar-button ${dock.open && dock.tab === 'transfers' ? 'active' : ''}`}
        aria-pressed={dock.open && dock.tab === 'transfers'}
        aria-label={`Transfers panel${active ? ` (${active} active)` : ''}`}
        onClick={() => toggleTab('transfers')}
      >
        <Icon name="upload" /> Transfers {active > 0 && <span className="count-badge">{active}</span>}
      </button>
      <button
        type="button"
        className={`toolbar-button ${dock.open && dock.tab === 'requests' ? 'active' : ''}`}
        aria-pressed={dock.open && dock.tab === 'requests'}
        aria-label="Request transcript panel"
        onClick={() => toggleTab('requests')}
      >
        <Icon name="list" /> Requests {requests > 0 && <span className="count-badge subtle">{requests > 999 ? '999+' : requests}</span>}
      </button>
      <button
        type="button"
        className="icon-button"
        aria-label={theme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'}
        title={theme === 'dark' ? 'Light theme' : 'Dark theme'}
        onClick={toggleTheme}
      >
        <Icon name={theme === 'dark' ? 'sun' : 'moon'} />
      </button>
    </header>
  );
}
