// IPC channel names used by main. The preload repeats them (it may import only 'electron'); a unit test keeps both equal.
export const RPC_CHANNEL = 'rpc';
export const EVENT_CHANNEL = 'rpc-event';
export const TRUST_PATHS_CHANNEL = 'trust-paths';
/** Main → preload: the user picked files with File › Open…; the renderer sees them as a 'files.opened' RpcEvent. */
export const FILES_OPENED_EVENT = 'files.opened';
