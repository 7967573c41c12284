import type { SessionUser } from '../../../shared/domain/account';

/** The fault campaign's protocol between the campaign (faults.ts) and its workstations (fault-workstation.ts). */

export type { ApplicationDoc } from '../../../shared/schemas';

/** A replicated document of any collection, as the campaign reads it. */
export type AnyDoc = Record<string, unknown> & { id: string };
export type { ConversationDoc as ConversationDocLike } from '../../../shared/schemas/conversation.schema';

/** One step of a workstation's day; `token` is unique in the campaign, `pick` chooses among local documents. */
export type FaultOp =
  | { kind: 'offer-create'; token: string; jobTitle: string }
  | { kind: 'offer-edit'; token: string; jobTitle: string; field: 'title' | 'description'; pick: number }
  | { kind: 'capture'; token: string; pick: number }
  | { kind: 'status'; pick: number; targets: string[] }
  | { kind: 'rate'; pick: number; rating: number }
  | { kind: 'note'; token: string; pick: number }
  | { kind: 'tag'; token: string; pick: number }
  | { kind: 'list-create'; token: string }
  | { kind: 'list-add' | 'list-remove'; pick: number; cvPick: number }
  | { kind: 'search'; token: string; pick: number; favourite: boolean }
  | { kind: 'message'; token: string; pick: number }
  | { kind: 'read'; pick: number };

export interface OpResult {
  kind: FaultOp['kind'];
  applied: boolean;
  id?: string;
  field?: string;
  value?: string;
  reason?: string;
  /** Offer fields written (value and local time, ms): the checks allow what came after an acknowledged value. */
  writes?: { field: string; value: string; at: number }[];
  /** The write threw (a defect of the campaign or of the workstation). */
  error?: boolean;
}

export type WorkstationRequest =
  | {
      cmd: 'open';
      url: string;
      token: string;
      user: SessionUser;
      organisationId: string;
      /** Names the replica in errors. */
      name: string;
    }
  | { cmd: 'offline' }
  | { cmd: 'online' }
  | { cmd: 'resync' }
  | { cmd: 'do'; ops: FaultOp[] }
  | { cmd: 'dump'; take?: boolean }
  /** What this workstation saw of these documents (FAULT_TRACE=1). */
  | { cmd: 'trace'; ids: string[] }
  | { cmd: 'close' };
