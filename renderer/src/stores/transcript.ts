// The request transcript: every HTTP request the host made to Swift, newest last.
import { create } from 'zustand';
import type { TranscriptEntry } from '../../../app/rpc/contract.ts';
import { call } from '../rpc/client.ts';
import { reportError, toast } from './ui.ts';

const MAX = 5000;

interface TranscriptStore {
  entries: TranscriptEntry[];
  selected: number | null;
  load(): Promise<void>;
  add(e: TranscriptEntry): void;
  clear(): Promise<void>;
  select(id: number | null): void;
  copyCurl(id: number, includeToken?: boolean): Promise<void>;
}

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Fallback for contexts without the async clipboard API.
    const ta = document.createElement('textarea');
    ta.value = text;
    ta.setAttribute('readonly', '');
    ta.style.position = 'fixed';
    ta.style.opacity = '0';
    document.body.appendChild(ta);
    ta.select();
    const ok = document.execCommand('copy');
    ta.remove();
    return ok;
  }
}

export const useTranscript = create<TranscriptStore>()((set, get) => ({
  entries: [],
  selected: null,
  async load() {
    try {
      const { entries } = await call('transcript.list', {});
      const known = new Set(entries.map((e) => e.id));
      // Keep live entries that arrived while the list was in flight.
      const merged = entries.concat(get().entries.filter((e) => !known.has(e.id))).sort((a, b) => a.id - b.id);
      set({ entries: merged.slice(-MAX) });
    } catch (e) {
      reportError('Could not load the request transcript', e);
    }
  },
  add(e) {
    set((s) => {
      const entries = s.entries.length >= MAX ? s.entries.slice(-(MAX - 1)) : s.entries.slice();
      entries.push(e);
      return { entries };
    });
  },
  async clear() {
    try {
      await call('transcript.clear', {});
      set({ entries: [], selected: null });
    } catch (e) {
      reportError('Could not clear the transcript', e);
    }
  },
  select(id) {
    set({ selected: id });
  },
  async copyCurl(id, includeToken = false) {
    try {
      const { command } = await call('transcript.curl', { id, includeToken });
      if (await copyText(command)) toast({ kind: 'success', title: 'Copied curl command', message: includeToken ? 'Includes the auth token — handle with care.' : 'The auth token is redacted.' });
      else toast({ kind: 'warning', title: 'Clipboard unavailable', message: command });
    } catch (e) {
      reportError('Could not build the curl command', e);
    }
  },
}));
