// Profiles, the current Swift connection (with cluster capabilities), the host, and the link to the host.
import { create } from 'zustand';
import type { ConnectionState, ErrorValue, HostInfo, Profile, ProfileSummary } from '../../../app/rpc/contract.ts';
import { call, linkStatus, toErrorValue, type LinkStatus } from '../rpc/client.ts';
import { reportError, toast, useUi } from './ui.ts';

export type Phase = 'starting' | 'connecting' | 'connected' | 'disconnected';

interface ConnectionStore {
  link: LinkStatus;
  host: HostInfo | null;
  profiles: ProfileSummary[];
  lastUsed: string | null;
  current: ConnectionState | null;
  phase: Phase;
  /** What we are connecting to, for the status line. */
  connectingTo: string | null;
  /** The last failed connection attempt, shown in the connections dialog. */
  error: ErrorValue | null;
  setLink(link: LinkStatus): void;
  setCurrent(current: ConnectionState | null): void;
  /** Startup: reuse the host's connection, else reopen the last used profile, else start the sandbox. */
  init(): Promise<void>;
  refreshProfiles(): Promise<void>;
  open(profileId: string): Promise<boolean>;
  openSandbox(): Promise<boolean>;
  close(): Promise<void>;
  save(profile: Profile): Promise<ProfileSummary | null>;
  remove(id: string): Promise<boolean>;
}

export const useConnection = create<ConnectionStore>()((set, get) => ({
  link: linkStatus(),
  host: null,
  profiles: [],
  lastUsed: null,
  current: null,
  phase: 'starting',
  connectingTo: null,
  error: null,

  setLink(link) {
    set({ link });
  },

  setCurrent(current) {
    set({ current, phase: current ? 'connected' : get().phase === 'connecting' ? 'connecting' : 'disconnected' });
  },

  async init() {
    set({ phase: 'starting', error: null });
    try {
      const host = await call('host.info', {});
      set({ host });
    } catch (e) {
      reportError('Could not reach the SLO Studio host', e);
    }
    try {
      const current = await call('connection.current', {});
      if (current) {
        set({ current, phase: 'connected' });
        void get().refreshProfiles();
        return;
      }
      await get().refreshProfiles();
      const { profiles, lastUsed } = get();
      if (lastUsed && profiles.some((p) => p.id === lastUsed)) {
        if (await get().open(lastUsed)) return;
        useUi.getState().setConnectionsOpen(true);
        return;
      }
      if (profiles.length === 0) {
        if (!(await get().openSandbox())) useUi.getState().setConnectionsOpen(true);
        return;
      }
      set({ phase: 'disconnected' });
      useUi.getState().setConnectionsOpen(true);
    } catch (e) {
      set({ phase: 'disconnected', error: toErrorValue(e) });
      reportError('Starting up failed', e);
    }
  },

  async refreshProfiles() {
    try {
      const { profiles, lastUsed } = await call('profiles.list', {});
      set({ profiles, lastUsed });
    } catch (e) {
      reportError('Could not load connection profiles', e);
    }
  },

  async open(profileId) {
    const name = get().profiles.find((p) => p.id === profileId)?.name ?? 'profile';
    set({ phase: 'connecting', connectingTo: name, error: null });
    try {
      const current = await call('connection.open', { profileId });
      set({ current, phase: 'connected', connectingTo: null, lastUsed: profileId });
      for (const w of current.warnings) toast({ kind: 'warning', title: 'Connection warning', message: w });
      return true;
    } catch (e) {
      const error = reportError(`Could not connect to ${name}`, e);
      set({ phase: get().current ? 'connected' : 'disconnected', connectingTo: null, error });
      return false;
    }
  },

  async openSandbox() {
    set({ phase: 'connecting', connectingTo: 'local sandbox', error: null });
    try {
      const current = await call('connection.openSandbox', {});
      set({ current, phase: 'connected', connectingTo: null });
      void get().refreshProfiles();
      return true;
    } catch (e) {
      const error = reportError('Could not start or connect to the local sandbox', e);
      set({ phase: get().current ? 'connected' : 'disconnected', connectingTo: null, error });
      return false;
    }
  },

  async close() {
    try {
      await call('connection.close', {});
      set({ current: null, phase: 'disconnected' });
    } catch (e) {
      reportError('Disconnecting failed', e);
    }
  },

  async save(profile) {
    try {
      const summary = await call('profiles.save', { profile });
      await get().refreshProfiles();
      return summary;
    } catch (e) {
      reportError(`Could not save profile ${profile.name}`, e);
      return null;
    }
  },

  async remove(id) {
    try {
      const { removed } = await call('profiles.remove', { id });
      await get().refreshProfiles();
      return removed;
    } catch (e) {
      reportError('Could not remove the profile', e);
      return false;
    }
  },
}));
