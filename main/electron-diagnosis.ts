// Why Electron died before opening its window, in words a user can act on. Only causes we can name precisely are
// recognised; anything else is left to Electron's own output, which main/start.ts prints as it is.

const SANDBOX_ABORT = /SUID sandbox helper binary was found, but is not configured correctly|No usable sandbox!/;

/** A few sentences naming the cause and the fixes, or null when the output shows no cause we know. */
export function diagnoseElectronFailure(stderr: string, binary: string): string | null {
  if (!SANDBOX_ABORT.test(stderr)) return null;
  // Ubuntu 23.10+/24.04 (kernel.apparmor_restrict_unprivileged_userns=1): Chromium may not create the user
  // namespace its sandbox needs unless an AppArmor profile allows the executable (electron#42510).
  return `Electron's sandbox could not start: this system's AppArmor forbids unprivileged user namespaces (Ubuntu 23.10
and later do) unless a profile allows the program. The SLO Studio .deb installs such a profile for the installed app.
For \`npm start\`, an administrator can allow this Electron with /etc/apparmor.d/slo-studio-electron containing

  abi <abi/4.0>,
  include <tunables/global>
  profile slo-studio-electron "${binary}" flags=(unconfined) {
    userns,
  }

and then \`sudo apparmor_parser -r /etc/apparmor.d/slo-studio-electron\`; or choose to lift the restriction for the
whole machine with \`sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0\`.
SLO Studio does not turn the sandbox off (no --no-sandbox).`;
}
