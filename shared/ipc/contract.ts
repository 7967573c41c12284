/**
 * The desktop IPC contract: the one source of truth for what the renderer may ask the Electron main
 * process. Channels are named `namespace:method`. Main registers one handler object per namespace
 * (it `satisfies` its slice), the preload exposes one flat object of one-line `invoke` wrappers that
 * `satisfies` {@link WorkstationBridge}. This file imports nothing: it is shared by main, preload and
 * renderer (the renderer only uses the types, and must also run in a plain browser without the bridge).
 */

/** A method of the contract: `Args` is what the renderer sends, `Result` what main answers. Phantom types only. */
export interface IpcMethod<Args extends readonly unknown[], Result> {
  readonly __args?: Args;
  readonly __result?: Result;
}

function method<Args extends readonly unknown[] = [], Result = void>(): IpcMethod<Args, Result> {
  return {};
}

/**
 * The contract itself, as a value so that its keys exist at run time (registration checks, tests),
 * and as a type through `typeof`. Method names must be unique across namespaces: the bridge is flat.
 */
export const ipcContract = {
  app: {
    /** Version of the desktop application (package.json `version`). */
    getVersion: method<[], string>(),
    /** Base URL of the sync server, without a trailing slash (env `WORKSTATION_SERVER_URL`, settings file, or default). */
    getServerUrl: method<[], string>(),
    /** What needs the user: unread messages and changes not yet synchronised (dock or taskbar badge, tray). */
    setAttention: method<[attention: DesktopAttention], void>(),
  },
  session: {
    /** Keeps the bearer token, encrypted with the OS keychain when available (otherwise in memory only). */
    saveToken: method<[token: string], void>(),
    /** The saved token, or `null` when none (or when it can no longer be decrypted). */
    loadToken: method<[], string | null>(),
    clearToken: method<[], void>(),
  },
  storage: {
    /**
     * The key that encrypts this user's sensitive local data (created at first use, kept under the
     * system's keychain) and how it is protected. Fails with a French message when the keychain
     * cannot give it back (locked, changed).
     */
    getDataKey: method<[userId: string], LocalDataKey>(),
    /** Forgets this user's key (data wipe): what the disk still holds of their data can no longer be read. */
    forgetDataKey: method<[userId: string], void>(),
  },
  files: {
    /**
     * Saves a file made in the workstation (exports, dossiers, a CV) where the user chooses, with the
     * system's save dialog. Answers whether it was saved (`false`: the user cancelled).
     */
    saveFile: method<[suggestedName: string, bytes: Uint8Array], SaveFileResult>(),
  },
  shell: {
    /** Opens an `https:`, `mailto:` or `tel:` URL with the system; answers `false` when the URL is refused. */
    openExternal: method<[url: string], boolean>(),
  },
  updates: {
    /** Where the application's update stands (checking, downloading with its progress, ready…). */
    getUpdateStatus: method<[], UpdateStatusView>(),
    /** Looks for an update now (« Rechercher une mise à jour »). */
    checkForUpdates: method<[], void>(),
    /**
     * Installs a downloaded update, which restarts the application. With local changes not yet
     * synchronised (`pendingChanges`), only once the user `confirmed`: otherwise answers
     * `'confirm-pending'` and does nothing.
     */
    restartToUpdate: method<[pendingChanges: number, confirmed: boolean], RestartToUpdateResult>(),
  },
} as const;

/**
 * A user's local data key: 32 bytes in base64. `system`: kept under the system's keychain; `weak`: no
 * keychain on this computer, the key is in a file only the user's account may read.
 */
export interface LocalDataKey {
  key: string;
  protection: 'system' | 'weak';
}

export type SaveFileResult = { saved: true; fileName: string } | { saved: false };

/** Largest file `files:saveFile` writes (an export of every applicant stays far below). */
export const MAX_SAVED_FILE_BYTES = 200 * 1024 * 1024;

/** Longest user id `storage:*` accepts (a UUID, with room). */
export const MAX_USER_ID_LENGTH = 64;

export interface DesktopAttention {
  unreadMessages: number;
  pendingChanges: number;
}

/** The update's state as the renderer shows it (see electron/main/update-policy.ts). */
export type UpdateStatusView =
  | { state: 'idle'; lastCheckAt: string | null; error: string | null }
  | { state: 'checking' }
  | { state: 'downloading'; version: string; percent: number; bytesPerSecond: number }
  | { state: 'ready'; version: string }
  | { state: 'disabled'; reason: string };

export type RestartToUpdateResult = 'install' | 'confirm-pending' | 'nothing-to-install';

export type IpcContract = typeof ipcContract;
export type IpcNamespace = keyof IpcContract;
export type IpcMethodName<N extends IpcNamespace> = keyof IpcContract[N] & string;

export type IpcArgs<N extends IpcNamespace, M extends IpcMethodName<N>> =
  IpcContract[N][M] extends IpcMethod<infer A, unknown> ? A : never;
export type IpcResult<N extends IpcNamespace, M extends IpcMethodName<N>> =
  IpcContract[N][M] extends IpcMethod<readonly unknown[], infer R> ? R : never;

/** One entry per contract method: its channel, bridge name, argument and result types. */
type IpcEntry = {
  [N in IpcNamespace]: {
    [M in IpcMethodName<N>]: { channel: `${N}:${M}`; name: M; args: IpcArgs<N, M>; result: IpcResult<N, M> };
  }[IpcMethodName<N>];
}[IpcNamespace];

/** Every channel name, e.g. `'session:saveToken'`. */
export type IpcChannel = IpcEntry['channel'];
export type IpcChannelArgs<C extends IpcChannel> = Extract<IpcEntry, { channel: C }>['args'];
export type IpcChannelResult<C extends IpcChannel> = Extract<IpcEntry, { channel: C }>['result'];

export function ipcChannel<N extends IpcNamespace, M extends IpcMethodName<N>>(
  namespace: N,
  name: M,
): `${N}:${M}` {
  return `${namespace}:${name}`;
}

/** Namespaces and method names at run time, in contract order. */
export const IPC_NAMESPACES = Object.keys(ipcContract) as IpcNamespace[];

export function ipcMethodNames<N extends IpcNamespace>(namespace: N): IpcMethodName<N>[] {
  return Object.keys(ipcContract[namespace]) as IpcMethodName<N>[];
}

export const IPC_CHANNELS: readonly IpcChannel[] = IPC_NAMESPACES.flatMap((namespace) =>
  ipcMethodNames(namespace).map((name) => `${namespace}:${name}` as IpcChannel),
);

/**
 * What the preload exposes as `window.workstation`: one promise-returning function per contract method,
 * named like the method (the bridge is flat: `window.workstation.getServerUrl()`).
 * The renderer declares the global itself, e.g.
 * `declare global { interface Window { workstation?: WorkstationBridge } }`, and treats it as optional
 * (absent in the web workstation).
 */
export type WorkstationBridge = {
  readonly [E in IpcEntry as E['name']]: (...args: E['args']) => Promise<E['result']>;
};

export type WorkstationBridgeKey = keyof WorkstationBridge;

/** The bridge's keys and the channel each one invokes. */
export const WORKSTATION_BRIDGE_CHANNELS: Readonly<Record<WorkstationBridgeKey, IpcChannel>> =
  Object.fromEntries(
    IPC_NAMESPACES.flatMap((namespace) =>
      ipcMethodNames(namespace).map((name): [string, string] => [name, ipcChannel(namespace, name)]),
    ),
  ) as Record<WorkstationBridgeKey, IpcChannel>;

/** Name of the global the preload defines in the renderer's main world. */
export const WORKSTATION_GLOBAL = 'workstation';

/** Protocols `shell:openExternal` accepts (checked again in main; listed here so the UI can tell beforehand). */
export const EXTERNAL_URL_PROTOCOLS = ['https:', 'mailto:', 'tel:'] as const;

/** Longest token `session:saveToken` accepts. */
export const MAX_TOKEN_LENGTH = 4096;
/** Longest URL `shell:openExternal` accepts. */
export const MAX_EXTERNAL_URL_LENGTH = 2048;

/**
 * What main asks the renderer to open: a menu item, a deep link (`recrutement://offre/<numéro>`), a
 * desktop notification clicked. Sent on {@link NAVIGATE_EVENT}; the preload hands it to the listener
 * the renderer gave `window.workstation.onNavigate`.
 */
export type DesktopNavigation =
  | {
      screen:
        | 'offers'
        | 'new-offer'
        | 'applicants'
        | 'messages'
        | 'cvtheque'
        | 'events'
        | 'notices'
        | 'account';
    }
  | { screen: 'offer'; number: string }
  | { screen: 'conversation'; conversationId: string };

export const DESKTOP_SCREENS = [
  'offers',
  'new-offer',
  'applicants',
  'messages',
  'cvtheque',
  'events',
  'notices',
  'account',
] as const;

/** The one main → renderer channel. */
export const NAVIGATE_EVENT = 'event:navigate';

/** Events the bridge lets the renderer listen to (besides the invoke methods); each returns its unsubscription. */
export interface WorkstationEvents {
  onNavigate(listener: (navigation: DesktopNavigation) => void): () => void;
}

export const WORKSTATION_EVENT_KEYS = ['onNavigate'] as const satisfies readonly (keyof WorkstationEvents)[];

/** An offer's number as the server gives it (e.g. `100014A`). */
export const OFFER_NUMBER_PATTERN = /^[0-9]{4,10}[A-Z]$/;

/** Whether a value is a navigation main may send (checked again by the renderer: nothing is trusted blindly). */
export function isDesktopNavigation(value: unknown): value is DesktopNavigation {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  if (v.screen === 'offer') return typeof v.number === 'string' && OFFER_NUMBER_PATTERN.test(v.number);
  if (v.screen === 'conversation')
    return typeof v.conversationId === 'string' && /^[0-9a-f-]{36}$/i.test(v.conversationId);
  return (DESKTOP_SCREENS as readonly unknown[]).includes(v.screen) && Object.keys(v).length === 1;
}
