// The one place the metadata, temp URL and copy / rename / move dialogs are mounted (opened through useObjOps).
import { useObjOps } from '../stores/objops.ts';
import { CopyDialog } from './CopyDialog.tsx';
import { MetadataDialog } from './MetadataDialog.tsx';
import { TempUrlDialog } from './TempUrlDialog.tsx';

export function ObjOpsDialogs() {
  const d = useObjOps((s) => s.dialog);
  if (!d) return null;
  const key = `${d.kind}:${d.container}/${d.object ?? ''}`;
  if (d.kind === 'metadata') return <MetadataDialog key={key} container={d.container} object={d.object} />;
  if (d.kind === 'tempurl') return <TempUrlDialog key={key} container={d.container} object={d.object} />;
  return <CopyDialog key={key} kind={d.kind} container={d.container} object={d.object} />;
}
