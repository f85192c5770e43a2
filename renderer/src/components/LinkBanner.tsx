// Shown while the browser-mode WebSocket to the host is down (Electron's IPC never drops).
import { useEffect, useState } from 'react';
import { reconnectNow } from '../rpc/client.ts';
import { useConnection } from '../stores/connection.ts';

export function LinkBanner() {
  const link = useConnection((s) => s.link);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (link.state !== 'closed') return;
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, [link.state]);
  if (link.state === 'open' || (link.state === 'connecting' && link.attempt === 0)) return null;
  const secs = link.retryAt ? Math.max(0, Math.ceil((link.retryAt - now) / 1000)) : 0;
  return (
    <div className="banner banner-error" role="alert">
      <strong>Disconnected from the SLO Studio host.</strong>{' '}
      {link.state === 'connecting' ? 'Reconnecting…' : `Retrying in ${secs}s (attempt ${link.attempt}).`}
      {link.reason && <span className="muted"> ({link.reason})</span>}
      {link.attempt >= 3 && (
        <span className="muted"> If you restarted SLO Studio, open the new address it printed: the old one stops working.</span>
      )}
      {link.state === 'closed' && (
        <button type="button" className="button small" onClick={() => reconnectNow()}>
          Reconnect now
        </button>
      )}
    </div>
  );
}
