// The object toolbar's metadata, temp URL and copy / rename / move buttons. With no object selected, Metadata… shows
// the container's.
import { useObjOps } from '../stores/objops.ts';
import { Icon } from './Icon.tsx';

export function ObjOpsToolbarButtons({ container, object }: { container: string; object: string | null }) {
  const open = useObjOps((s) => s.open);
  return (
    <>
      <button
        type="button"
        className="button"
        onClick={() => open({ kind: 'metadata', container, ...(object !== null ? { object } : {}) })}
        aria-label={object !== null ? 'Metadata of selected object' : `Metadata of container ${container}`}
        title={object !== null ? 'View every header; edit metadata, content type, expiry' : 'View and edit the container\'s metadata (select an object for its own)'}
      >
        <Icon name="list" /> Metadata…
      </button>
      <button type="button" className="button" disabled={object === null} onClick={() => object !== null && open({ kind: 'tempurl', container, object })} aria-label="Temp URL for selected object" title="A signed URL anyone can use without a token until it expires">
        <Icon name="link" /> Temp URL…
      </button>
      <button type="button" className="button" disabled={object === null} onClick={() => object !== null && open({ kind: 'copy', container, object })} aria-label="Copy selected object" title="Server-side copy (an SLO as its manifest: segments shared)">
        <Icon name="copy" /> Copy…
      </button>
      <button type="button" className="button" disabled={object === null} onClick={() => object !== null && open({ kind: 'rename', container, object })} aria-label="Rename selected object">
        <Icon name="edit" /> Rename…
      </button>
      <button type="button" className="button" disabled={object === null} onClick={() => object !== null && open({ kind: 'move', container, object })} aria-label="Move selected object" title="Move to another container (an SLO's segments stay where they are)">
        <Icon name="move" /> Move…
      </button>
    </>
  );
}
