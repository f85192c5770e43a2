// "Keep both": the new file takes the first free "name (n).ext" beside the existing one, like desktop file managers.
// One rule for uploads onto existing objects and for local files that would collide in a download.

/** The first name of the form "<stem> (n)<ext>" (n ≥ 2, or one past an existing "(n)") that `taken` does not claim. */
export function keepBothName(name: string, taken: (candidate: string) => boolean): string {
  const slash = name.lastIndexOf('/');
  const dir = name.slice(0, slash + 1);
  const base = name.slice(slash + 1);
  const dot = base.lastIndexOf('.');
  // A leading dot (".profile") is a name, not an extension.
  const [stem, ext] = dot > 0 ? [base.slice(0, dot), base.slice(dot)] : [base, ''];
  const numbered = /^(.*) \((\d{1,6})\)$/.exec(stem);
  const root = numbered ? numbered[1]! : stem;
  for (let n = numbered ? Number(numbered[2]) + 1 : 2; ; n++) {
    const candidate = `${dir}${root} (${n})${ext}`;
    if (!taken(candidate)) return candidate;
  }
}
