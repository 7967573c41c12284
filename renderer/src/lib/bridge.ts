import type { WorkstationBridge, WorkstationEvents } from '../../../shared/ipc/contract';

/**
 * The optional Electron preload bridge (`shared/ipc/contract.ts`). In a plain browser
 * `window.workstation` is absent and desktop-only features degrade gracefully; every member is
 * treated as optional so an older preload never breaks the renderer.
 */
export type OptionalBridge = Partial<WorkstationBridge & WorkstationEvents>;

declare global {
  interface Window {
    workstation?: OptionalBridge;
  }
}

export function getBridge(): OptionalBridge | undefined {
  return typeof window !== 'undefined' ? window.workstation : undefined;
}

export function isElectron(): boolean {
  return getBridge() !== undefined;
}
