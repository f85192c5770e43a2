// The bottom dock: Transfers and Requests (transcript) tabs; collapsible and resizable.
import { useRef } from 'react';
import { ACTIVE_STATES, useTransfers } from '../stores/transfers.ts';
import { useUi, type DockTab } from '../stores/ui.ts';
import { Icon } from './Icon.tsx';
import { TranscriptPanel } from './TranscriptPanel.tsx';
import { TransfersPanel } from './TransfersPanel.tsx';

export function Dock() {
  const dock = useUi((s) => s.dock);
  const setDock = useUi((s) => s.setDock);
  const active = useTransfers((s) => s.order.filter((id) => { const t = s.byId[id]; return t && (ACTIVE_STATES.has(t.state) || t.state === 'interrupted'); }).length);
  const drag = useRef<{ y: number; h: number } | null>(null);

  const tabs: Array<{ id: DockTab; label: string }> = [
    { id: 'transfers', label: active ? `Transfers (${active})` : 'Transfers' },
    { id: 'requests', label: 'Requests' },
  ];

  return (
    <section className={`dock ${dock.open ? 'open' : 'closed'}`} style={dock.open ? { height: dock.height } : undefined} aria-label="Bottom panel">
      {dock.open && (
        <div
          className="dock-resizer"
          role="separator"
          aria-orientation="horizontal"
          aria-label="Resize bottom panel"
          aria-valuenow={dock.height}
          aria-valuemin={120}
          aria-valuemax={900}
          tabIndex={0}
          onKeyDown={(e) => {
            if (e.key === 'ArrowUp') setDock({ height: Math.min(900, dock.height + 24) });
            if (e.key === 'ArrowDown') setDock({ height: Math.max(120, dock.height - 24) });
          }}
          onPointerDown={(e) => {
            drag.current = { y: e.clientY, h: dock.height };
            e.currentTarget.setPointerCapture(e.pointerId);
          }}
          onPointerMove={(e) => {
            if (!drag.current) return;
            const h = Math.max(120, Math.min(window.innerHeight - 200, drag.current.h + (drag.current.y - e.clientY)));
            setDock({ height: Math.round(h) });
          }}
          onPointerUp={() => {
            drag.current = null;
          }}
        />
      )}
      <div className="dock-tabs" role="tablist" aria-label="Bottom panel">
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`dock-tab-${t.id}`}
            aria-selected={dock.open && dock.tab === t.id}
            aria-controls="dock-panel"
            className={`dock-tab ${dock.open && dock.tab === t.id ? 'active' : ''}`}
            onClick={() => setDock({ open: true, tab: t.id })}
          >
            {t.label}
          </button>
        ))}
        <span className="toolbar-spacer" />
        <button
          type="button"
          className="icon-button"
          aria-label={dock.open ? 'Collapse bottom panel' : 'Expand bottom panel'}
          aria-expanded={dock.open}
          onClick={() => setDock({ open: !dock.open })}
        >
          <Icon name={dock.open ? 'chevronDown' : 'chevronUp'} />
        </button>
      </div>
      {dock.open && (
        <div className="dock-panel" id="dock-panel" role="tabpanel" aria-labelledby={`dock-tab-${dock.tab}`}>
          {dock.tab === 'transfers' ? <TransfersPanel /> : <TranscriptPanel />}
        </div>
      )}
    </section>
  );
}
