// First run: one click fills a demo container (an SLO, a nested SLO, a DLO and a manifest stored as plain data) so the
// viewer, Verify and the doctor can be tried at once.
import { useState } from 'react';
import { call } from '../rpc/client.ts';
import { useBrowser } from '../stores/browser.ts';
import { useUi } from '../stores/ui.ts';
import { Spinner } from './common.tsx';

export function DemoButton() {
  const [busy, setBusy] = useState(false);
  const loadContainers = useBrowser((s) => s.loadContainers);
  const openContainer = useBrowser((s) => s.openContainer);
  const toast = useUi((s) => s.toast);
  const reportError = useUi((s) => s.reportError);

  const create = async () => {
    setBusy(true);
    try {
      const demo = await call('demo.create', {});
      await loadContainers();
      openContainer(demo.container);
      toast({ kind: 'success', title: `Demo container ${demo.container} is ready`, message: 'Open big.bin, nested.bin, dlo.txt, or story/manifest.json (a hand-written manifest Swift stored as plain data).' });
    } catch (e) {
      reportError('Could not create the demo container', e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <button type="button" className="button small" disabled={busy} onClick={() => void create()}>
      {busy ? <Spinner label="Creating the demo" /> : null}
      {busy ? 'Creating the demo…' : 'Create a demo container'}
    </button>
  );
}
