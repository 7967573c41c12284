/**
 * Wires one namespace's handler object to `ipcMain.handle`, one channel per contract method.
 * Takes a minimal `ipcMain` shape so it is tested with a fake (no Electron binary needed).
 */
import { type IpcNamespace, ipcChannel, ipcMethodNames } from '../../../shared/ipc/contract';
import type { IpcHandlerMap, IpcHandlers } from './types';
import { IpcError } from './validate';

export interface IpcMainLike<Event> {
  handle(channel: string, listener: (event: Event, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface RegisterOptions<Event> {
  /** Refuses calls from frames that are not the app's own pages (e.g. a page that navigated away). */
  isTrustedSender?: (event: Event) => boolean;
  /** Reports unexpected errors; the renderer only gets a generic French message. */
  onError?: (channel: string, error: unknown) => void;
}

/** Checks that an object has exactly the contract's methods for `namespace` (catches drift at start-up). */
export function assertHandlersMatchContract(namespace: IpcNamespace, handlers: object): void {
  const expected = ipcMethodNames(namespace);
  const actual = Object.keys(handlers);
  const missing = expected.filter((name) => !actual.includes(name));
  const extra = actual.filter((name) => !(expected as string[]).includes(name));
  const notFunctions = actual.filter(
    (name) => typeof (handlers as Record<string, unknown>)[name] !== 'function',
  );
  if (missing.length || extra.length || notFunctions.length) {
    throw new Error(
      `IPC « ${namespace} » : gestionnaires non conformes au contrat` +
        ` (manquants : ${missing.join(', ') || 'aucun'} ; en trop : ${extra.join(', ') || 'aucun'} ;` +
        ` pas des fonctions : ${notFunctions.join(', ') || 'aucun'}).`,
    );
  }
}

/** Registers the handlers of one namespace; returns a function that unregisters them. */
export function registerIpcHandlers<N extends IpcNamespace, Event>(
  ipcMain: IpcMainLike<Event>,
  namespace: N,
  handlers: IpcHandlers<N>,
  { isTrustedSender, onError }: RegisterOptions<Event> = {},
): () => void {
  assertHandlersMatchContract(namespace, handlers);
  const channels: string[] = [];
  for (const name of ipcMethodNames(namespace)) {
    const channel = ipcChannel(namespace, name);
    const handler = handlers[name] as (...args: unknown[]) => unknown;
    ipcMain.handle(channel, async (event, ...args) => {
      if (isTrustedSender && !isTrustedSender(event)) {
        throw new IpcError('forbidden-sender', 'Appel refusé : cette page n’est pas celle de l’application.');
      }
      try {
        return await handler(...args);
      } catch (error) {
        if (error instanceof IpcError) throw error;
        onError?.(channel, error);
        throw new IpcError('internal', 'Erreur interne du poste de travail.');
      }
    });
    channels.push(channel);
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}

/** Registers every namespace of the contract; returns a function that unregisters them all. */
export function registerAllIpcHandlers<Event>(
  ipcMain: IpcMainLike<Event>,
  handlers: IpcHandlerMap,
  options: RegisterOptions<Event> = {},
): () => void {
  const namespaces = Object.keys(handlers) as IpcNamespace[];
  const unregister = namespaces.map((namespace) =>
    registerIpcHandlers(ipcMain, namespace, handlers[namespace] as IpcHandlers<typeof namespace>, options),
  );
  return () => {
    for (const undo of unregister) undo();
  };
}
