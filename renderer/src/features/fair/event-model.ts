import { validateEventContent } from '../../../../shared/domain/event';
import type { EventDoc } from '../../../../shared/schemas/event.schema';

/**
 * The event form and list, pure (no React, no RxDB): the form's values, their validation (the
 * same rules and French messages as the server's `eventsCollection.decide`), the document they
 * make, and how the list sorts and labels events.
 */

export type EventKind = EventDoc['kind'];
export type EventStatus = EventDoc['status'];

export const EVENT_KIND_LABELS: Record<EventKind, string> = {
  salon: 'Salon',
  session: 'Session de recrutement',
};

export const EVENT_STATUS_LABELS: Record<EventStatus, string> = {
  demandee: 'Demandée',
  planifiee: 'Planifiée',
  annulee: 'Annulée',
  terminee: 'Terminée',
};

export interface EventFormValues {
  kind: EventKind;
  name: string;
  date: string;
  startTime: string;
  endTime: string;
  placeLabel: string;
  placeAddress: string;
  city: string;
  postalCode: string;
  inseeCode: string;
  lat: number | null;
  lon: number | null;
  description: string;
  offerIds: string[];
  colleagueIds: string[];
  public: boolean;
  /** A session asked of a partner prescriber (employer / agency). */
  partnerOrganisationId: string;
  partnerName: string;
  requestOfferId: string;
  requestMessage: string;
}

export const EMPTY_EVENT_FORM: EventFormValues = {
  kind: 'salon',
  name: '',
  date: '',
  startTime: '',
  endTime: '',
  placeLabel: '',
  placeAddress: '',
  city: '',
  postalCode: '',
  inseeCode: '',
  lat: null,
  lon: null,
  description: '',
  offerIds: [],
  colleagueIds: [],
  public: false,
  partnerOrganisationId: '',
  partnerName: '',
  requestOfferId: '',
  requestMessage: '',
};

export interface EventFieldError {
  field: string;
  message: string;
}

/** The id of the control of a field (errors link to it). */
export function eventFieldId(field: string): string {
  const map: Record<string, string> = {
    place: 'event-placeLabel',
    'place.postalCode': 'event-city',
    'place.city': 'event-city',
    'request.offerId': 'event-requestOfferId',
    'request.message': 'event-requestMessage',
    'response.message': 'event-responseMessage',
    offerIds: 'event-offers',
    colleagueIds: 'event-colleagues',
  };
  return map[field] ?? `event-${field}`;
}

/** Whether the form asks a partner prescriber for a session (instead of organising it). */
export function isSessionRequest(
  values: Pick<EventFormValues, 'kind'>,
  organisationKind: string | undefined,
): boolean {
  return values.kind === 'session' && organisationKind !== 'prescriber';
}

/**
 * The form's errors, French, per field. `checkDate`: the day is new or was changed (an old
 * event may still be edited).
 */
export function validateEventForm(
  v: EventFormValues,
  options: { request: boolean; checkDate: boolean; now?: Date },
): EventFieldError[] {
  // The content rules are the server's (shared/domain/event.ts); the form adds its own fields.
  const errors: EventFieldError[] = validateEventContent(
    {
      kind: v.kind,
      name: v.name,
      date: v.date,
      startTime: v.startTime,
      endTime: v.endTime,
      ...(placeOf(v) ? { place: placeOf(v) } : {}),
    },
    options.now ?? new Date(),
    { dateRequired: !options.request, checkDate: options.checkDate },
  );
  if (v.description.length > 3000)
    errors.push({ field: 'description', message: 'La description ne doit pas dépasser 3 000 caractères.' });
  if (options.request) {
    if (!v.partnerOrganisationId)
      errors.push({
        field: 'partnerOrganisationId',
        message:
          'Choisissez le prescripteur partenaire (une organisation vérifiée) qui organisera la session.',
      });
    if (!v.requestOfferId)
      errors.push({
        field: 'request.offerId',
        message: 'Choisissez l’offre de votre organisation pour laquelle vous demandez la session.',
      });
    if (!v.requestMessage.trim())
      errors.push({
        field: 'request.message',
        message: 'Expliquez votre besoin au prescripteur (postes, profils, période souhaitée).',
      });
    else if (v.requestMessage.length > 2000)
      errors.push({ field: 'request.message', message: 'Le message ne doit pas dépasser 2 000 caractères.' });
  }
  return errors;
}

/** The place of the form, without empty parts (undefined when nothing is said). */
export function placeOf(v: EventFormValues): EventDoc['place'] | undefined {
  const place: NonNullable<EventDoc['place']> = {};
  if (v.placeLabel.trim()) place.label = v.placeLabel.trim();
  if (v.placeAddress.trim()) place.address = v.placeAddress.trim();
  if (v.city.trim()) place.city = v.city.trim();
  if (/^\d{5}$/.test(v.postalCode)) place.postalCode = v.postalCode;
  if (/^[0-9AB]{5}$/.test(v.inseeCode)) place.inseeCode = v.inseeCode;
  if (v.lat !== null && v.lon !== null) {
    place.lat = v.lat;
    place.lon = v.lon;
  }
  return Object.keys(place).length > 0 ? place : undefined;
}

/** A new event document as the workstation writes it (the server fills its own fields). */
export function newEventDoc(
  id: string,
  organisationId: string,
  userId: string,
  v: EventFormValues,
  request: boolean,
  now: string,
): EventDoc {
  const doc: EventDoc = {
    id,
    organisationId,
    kind: v.kind,
    status: request ? 'demandee' : 'planifiee',
    name: v.name.trim(),
    date: v.date,
    offerIds: [],
    colleagueIds: [...v.colleagueIds],
    public: v.public,
    registrationCount: 0,
    createdBy: userId,
    createdAt: now,
    updatedAt: now,
  };
  applyForm(doc, v);
  if (request) {
    doc.offerIds = [...new Set([v.requestOfferId, ...v.offerIds].filter(Boolean))];
    doc.partnerOrganisationId = v.partnerOrganisationId;
    doc.request = { offerId: v.requestOfferId, message: v.requestMessage.trim(), byId: userId, at: now };
  }
  return doc;
}

/** Writes the form's content fields into `doc` (in place: RxDB's incrementalModify). */
export function applyForm(doc: EventDoc, v: EventFormValues, now?: string): EventDoc {
  doc.name = v.name.trim();
  doc.date = v.date;
  doc.public = v.public;
  doc.offerIds = [...new Set(v.offerIds)];
  doc.colleagueIds = [...new Set(v.colleagueIds)];
  const description = v.description.trim();
  if (description) doc.description = description;
  else delete doc.description;
  if (v.startTime) doc.startTime = v.startTime;
  else delete doc.startTime;
  if (v.endTime) doc.endTime = v.endTime;
  else delete doc.endTime;
  const place = placeOf(v);
  if (place) doc.place = place;
  else delete doc.place;
  if (now) doc.updatedAt = now;
  return doc;
}

export function docToForm(doc: EventDoc): EventFormValues {
  return {
    ...EMPTY_EVENT_FORM,
    kind: doc.kind,
    name: doc.name,
    date: doc.date,
    startTime: doc.startTime ?? '',
    endTime: doc.endTime ?? '',
    placeLabel: doc.place?.label ?? '',
    placeAddress: doc.place?.address ?? '',
    city: doc.place?.city ?? '',
    postalCode: doc.place?.postalCode ?? '',
    inseeCode: doc.place?.inseeCode ?? '',
    lat: doc.place?.lat ?? null,
    lon: doc.place?.lon ?? null,
    description: doc.description ?? '',
    offerIds: [...doc.offerIds],
    colleagueIds: [...doc.colleagueIds],
    public: doc.public,
    partnerOrganisationId: doc.partnerOrganisationId ?? '',
    requestOfferId: doc.request?.offerId ?? '',
    requestMessage: doc.request?.message ?? '',
  };
}

export interface EventLists {
  upcoming: EventDoc[];
  past: EventDoc[];
  /** Sessions asked of this (prescriber) organisation, waiting for its answer. */
  requests: EventDoc[];
}

/**
 * The events of the list: requests to answer (asked of `organisationId` by a partner), then
 * upcoming ones by date, then past (and undated cancelled) ones, latest first.
 */
export function splitEvents(events: readonly EventDoc[], organisationId: string, today: string): EventLists {
  const requests: EventDoc[] = [];
  const upcoming: EventDoc[] = [];
  const past: EventDoc[] = [];
  for (const e of events) {
    if (e.organisationId !== organisationId && e.partnerOrganisationId !== organisationId) continue;
    if (e.status === 'demandee' && e.partnerOrganisationId === organisationId) requests.push(e);
    else if (e.status === 'demandee' || (e.date && e.date >= today && e.status !== 'terminee'))
      upcoming.push(e);
    else past.push(e);
  }
  const key = (e: EventDoc) => `${e.date || '9999-99-99'} ${e.startTime ?? ''} ${e.name}`;
  requests.sort((a, b) => (a.request?.at ?? a.createdAt).localeCompare(b.request?.at ?? b.createdAt));
  upcoming.sort((a, b) => key(a).localeCompare(key(b)));
  past.sort((a, b) => key(b).localeCompare(key(a)));
  return { upcoming, past, requests };
}

/** « 12/03/2027, 09:00 – 17:00 » (or « Date à fixer »). */
export function formatWhen(e: Pick<EventDoc, 'date' | 'startTime' | 'endTime'>): string {
  if (!e.date) return 'Date à fixer';
  const [y, m, d] = e.date.split('-');
  const day = `${d}/${m}/${y}`;
  if (e.startTime && e.endTime) return `${day}, ${e.startTime} – ${e.endTime}`;
  if (e.startTime) return `${day}, à partir de ${e.startTime}`;
  return day;
}

export function formatPlace(e: Pick<EventDoc, 'place'>): string {
  const p = e.place;
  if (!p) return '';
  const town = [p.postalCode, p.city].filter(Boolean).join(' ');
  return [p.label, p.address, town].filter(Boolean).join(', ');
}
