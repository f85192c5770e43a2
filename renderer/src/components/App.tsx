import { useEffect } from 'react';
import { useConnection } from '../stores/connection.ts';
import { useManifest } from '../stores/manifest.ts';
import { Composer } from './Composer.tsx';
import { ConnectionsDialog } from './ConnectionsDialog.tsx';
import { Dock } from './Dock.tsx';
import { DoctorPanel } from './DoctorPanel.tsx';
import { LinkBanner } from './LinkBanner.tsx';
import { ManifestViewer } from './ManifestViewer.tsx';
import { ObjectBrowser } from './ObjectBrowser.tsx';
import { ObjOpsDialogs } from './ObjOpsDialogs.tsx';
import { CreateContainerDialog, Sidebar } from './Sidebar.tsx';
import { Toasts } from './Toasts.tsx';
import { TopBar } from './TopBar.tsx';
import { Icon } from './Icon.tsx';

const NO_WARNINGS: string[] = [];

function ConnectionWarnings() {
  // Selectors must return stable references (zustand 5), hence the shared empty array.
  const warnings = useConnection((s) => s.current?.warnings ?? NO_WARNINGS);
  if (warnings.length === 0) return null;
  return (
    <div className="banner banner-warning" role="alert">
      <Icon name="alert" /> {warnings.join(' ')}
    </div>
  );
}

export function App() {
  const viewing = useManifest((s) => s.target !== null);

  // Files dropped anywhere else must not make the window navigate to them.
  useEffect(() => {
    const stop = (e: DragEvent) => {
      if (e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files')) e.preventDefault();
    };
    window.addEventListener('dragover', stop);
    window.addEventListener('drop', stop);
    return () => {
      window.removeEventListener('dragover', stop);
      window.removeEventListener('drop', stop);
    };
  }, []);

  return (
    <div className="app">
      <TopBar />
      <LinkBanner />
      <ConnectionWarnings />
      <div className="workspace">
        <Sidebar />
        <div className="main-area">
          <div className="main-views">
            <div className="view" hidden={viewing}>
              <ObjectBrowser />
            </div>
            {viewing && (
              <div className="view">
                <ManifestViewer />
              </div>
            )}
          </div>
          <Dock />
        </div>
      </div>
      <ConnectionsDialog />
      <CreateContainerDialog />
      <DoctorPanel />
      <Composer />
      <ObjOpsDialogs />
      <Toasts />
    </div>
  );
}
