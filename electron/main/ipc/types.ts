import type { IpcArgs, IpcMethodName, IpcNamespace, IpcResult } from '../../../shared/ipc/contract';

/** Arguments as they really arrive from the (untrusted) renderer: same arity, unknown types. */
export type Untrusted<Args extends readonly unknown[]> = { [K in keyof Args]: unknown };

/**
 * Main's slice of the contract for one namespace: one handler per method, taking `unknown`
 * arguments (so the compiler forces validation) and answering the contract's result type.
 * Write handlers as arrow-function properties: method shorthand would make parameters bivariant.
 */
export type IpcHandlers<N extends IpcNamespace> = {
  readonly [M in IpcMethodName<N>]: (
    ...args: Untrusted<IpcArgs<N, M>>
  ) => IpcResult<N, M> | Promise<IpcResult<N, M>>;
};

/** Every namespace's handlers. */
export type IpcHandlerMap = { readonly [N in IpcNamespace]: IpcHandlers<N> };
