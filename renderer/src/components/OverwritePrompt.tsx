// The overwrite prompt: an upload onto a name that exists asks, one name at a time — replace it, keep both (the new
// file gets "name (2).ext"), or skip — with "for all" to answer the rest of a batch at once.
import { useState } from 'react';
import type { IfExists, NameConflict } from '../../../app/rpc/contract.ts';
import { Modal } from './common.tsx';

export function OverwritePrompt({ container, conflicts, onDone, onCancel }: { container: string; conflicts: NameConflict[]; onDone: (decisions: Record<string, IfExists>) => void; onCancel: () => void }) {
  const [index, setIndex] = useState(0);
  const [decisions, setDecisions] = useState<Record<string, IfExists>>({});
  const [forAll, setForAll] = useState(false);
  const c = conflicts[index];
  if (!c) return null;
  const rest = conflicts.length - index;
  const base = (n: string) => n.slice(n.lastIndexOf('/') + 1);

  const answer = (choice: IfExists) => {
    const next = { ...decisions };
    for (const x of forAll ? conflicts.slice(index) : [c]) next[x.object] = choice;
    if (forAll || index + 1 >= conflicts.length) onDone(next);
    else {
      setDecisions(next);
      setIndex(index + 1);
    }
  };

  return (
    <Modal
      title={`“${base(c.object)}” already exists`}
      onClose={onCancel}
      size="small"
      className="overwrite-prompt"
      footer={
        <>
          <button type="button" className="button" onClick={onCancel}>
            Cancel upload
          </button>
          <button type="button" className="button" onClick={() => answer('skip')}>
            Skip
          </button>
          <button type="button" className="button" onClick={() => answer('keep-both')} title={`The new file goes up as ${c.keepBoth}`}>
            Keep both
          </button>
          <button type="button" className="button primary" data-autofocus onClick={() => answer('replace')}>
            Replace
          </button>
        </>
      }
    >
      <p>
        <code>
          {container}/{c.object}
        </code>{' '}
        is already stored. Replace it with the file being uploaded, keep both (the new file becomes <code>{base(c.keepBoth)}</code>), or skip this file?
      </p>
      {conflicts.length > 1 && (
        <p className="muted small">
          Name {index + 1} of {conflicts.length} that already exist.
        </p>
      )}
      {rest > 1 && (
        <label className="check-row">
          <input type="checkbox" checked={forAll} onChange={(e) => setForAll(e.target.checked)} />
          Do this for all {rest} existing names
        </label>
      )}
    </Modal>
  );
}
