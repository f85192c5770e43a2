// Secrets that can hide in free text: credentials embedded in URLs (scheme://user:pass@host). Errors and the
// transcript pass their text through here, so a URL a user pasted with a password in it is never shown back.
export const REDACTED = '<redacted>';

export function redactUrlCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi, `$1${REDACTED}@`);
}
