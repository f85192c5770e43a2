// The local file name for an object: its last path segment. Object names are chosen by whoever can write to the
// container (or by a hostile server's listing), so a name that cannot be a plain file name inside the chosen folder
// — ".", "..", empty, with NUL — is refused rather than joined to a path, where it would point outside.
import { SwiftError } from '../swift/errors.ts';

export function localFileName(object: string): string {
  // Backslashes too: on Windows they separate paths, and such a name is never meant as one file name anywhere.
  const last = object.split(/[/\\]/).pop() ?? '';
  if (last === '' || last === '.' || last === '..' || last.includes('\0')) {
    throw new SwiftError({
      kind: 'invalid',
      message: `The object name ${JSON.stringify(object)} does not end in a usable local file name; give a file name as the destination.`,
    });
  }
  return last;
}
