import { useUi } from '../stores/ui.ts';
import { TransId } from './common.tsx';
import { Icon } from './Icon.tsx';

/** Height of the collapsed dock (its tab row, .dock-tabs in styles.css). */
const DOCK_TABS_HEIGHT = 34;
/** Room for the object list's status line (selection count) just above the dock. */
const ABOVE_DOCK = 40;

export function Toasts() {
  const toasts = useUi((s) => s.toasts);
  const dismiss = useUi((s) => s.dismissToast);
  // Stand above the bottom panel and the status line, not over the transfer a toast is about.
  const dockHeight = useUi((s) => (s.dock.open ? s.dock.height : DOCK_TABS_HEIGHT));
  return (
    <div className="toasts" aria-live="polite" style={{ bottom: dockHeight + ABOVE_DOCK }}>
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>
          <Icon name={t.kind === 'success' ? 'check' : t.kind === 'info' ? 'info' : 'alert'} className="toast-icon" />
          <div className="toast-text">
            <strong>{t.title}</strong>
            {t.message && <div className="toast-message">{t.message}</div>}
            {t.error && (
              <>
                <div className="toast-message">{t.error.message}</div>
                <div className="toast-meta">
                  <span className="badge subtle">{t.error.kind}</span>
                  {t.error.status !== undefined && <span className="badge subtle">HTTP {t.error.status}</span>}
                  {t.error.transId && <TransId id={t.error.transId} />}
                </div>
              </>
            )}
          </div>
          <button type="button" className="icon-button" aria-label={`Dismiss notification: ${t.title}`} onClick={() => dismiss(t.id)}>
            <Icon name="x" />
          </button>
        </div>
      ))}
    </div>
  );
}
