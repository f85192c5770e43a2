// A DLO serves whatever its prefix lists at the time of the GET; converting it writes an SLO over the same name that
// pins today's segments with their sizes and ETags (dlo.convert; the segments themselves stay where they are).
import { useState } from 'react';
import { call } from '../rpc/client.ts';
import { useUi } from '../stores/ui.ts';
import { Modal, Spinner } from './common.tsx';
import { Icon } from './Icon.tsx';

export function ConvertDloButton({ container, object, onConverted }: { container: string; object: string; onConverted: () => void }) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const toast = useUi((s) => s.toast);
  const reportError = useUi((s) => s.reportError);
  const name = object.split('/').pop() ?? object;

  const convert = async () => {
    setBusy(true);
    try {
      const r = await call('dlo.convert', { container, object });
      toast({ kind: 'success', title: `${name} is now an SLO`, message: r.summary });
      setOpen(false);
      onConverted();
    } catch (e) {
      reportError(`Could not convert ${name} to an SLO`, e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" className="button" onClick={() => setOpen(true)} title="Write an SLO that pins the segments the prefix lists today">
        <Icon name="layers" /> Convert to SLO…
      </button>
      {open && (
        <Modal
          title={`Convert ${name} to an SLO?`}
          onClose={() => setOpen(false)}
          closable={!busy}
          size="small"
          footer={
            <>
              <button type="button" className="button" onClick={() => setOpen(false)} disabled={busy} data-autofocus>
                Cancel
              </button>
              <button type="button" className="button primary" onClick={() => void convert()} disabled={busy}>
                {busy ? <Spinner label="Converting" /> : null} Convert
              </button>
            </>
          }
        >
          <p>
            The SLO lists today&apos;s segments with their sizes and ETags, so the object serves the same bytes and every download can be verified. Segments added to the prefix
            later are no longer part of it. The segments themselves stay where they are.
          </p>
        </Modal>
      )}
    </>
  );
}
