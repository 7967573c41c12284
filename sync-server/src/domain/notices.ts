import { noticeSchema } from '../../../shared/schemas/notice.schema';
import { sameDocument } from '../sync/canonical';
import type { CollectionDef, Doc } from '../sync/types';

/** Notices are written by the server; their user may only mark them read. */
export const noticesCollection: CollectionDef = {
  name: 'notices',
  table: 'notices',
  version: noticeSchema.version,
  schema: noticeSchema,
  keysFor(doc) {
    return [`user:${String(doc.userId)}`];
  },
  tombstone(id) {
    return { id, userId: '', kind: 'information', title: '', message: '', createdAt: '' };
  },
  async decide({ user }, master, incoming, incomingDeleted) {
    if (!master || master.userId !== user.id) {
      return {
        kind: 'refuse',
        refusal: { title: 'Avis non modifiable', message: 'Les avis sont rédigés par le serveur.' },
      };
    }
    const { readAt: _newReadAt, ...incomingRest } = incoming;
    const { readAt: _oldReadAt, ...masterRest } = master;
    if (!sameDocument(incomingRest, masterRest)) {
      return {
        kind: 'refuse',
        refusal: {
          title: 'Avis non modifiable',
          message: 'Seule la lecture d’un avis peut être enregistrée.',
        },
      };
    }
    const readAt = typeof incoming.readAt === 'string' ? incoming.readAt : undefined;
    const doc: Doc = { ...master };
    if (readAt) doc.readAt = readAt;
    else delete doc.readAt;
    return { kind: 'write', doc, deleted: incomingDeleted };
  },
};
