import { parisDay } from '../../../../shared/domain/offer-lifecycle';
import type { EventDoc } from '../../../../shared/schemas/event.schema';
import { useSession } from '../../app/session-context';
import { EVENT_KIND_LABELS, EVENT_STATUS_LABELS, formatPlace, formatWhen, splitEvents } from './event-model';
import { useAllEvents } from './use-events';
import './fair.css';

const STATUS_CLASS: Record<EventDoc['status'], string> = {
  demandee: 'status--warning',
  planifiee: 'status--info',
  annulee: 'status--muted',
  terminee: 'status--success',
};

function EventTable({ events, caption, testId }: { events: EventDoc[]; caption: string; testId: string }) {
  const { navigate } = useSession();
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid={testId}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Nom</th>
            <th scope="col">Type</th>
            <th scope="col">Statut</th>
            <th scope="col">Date</th>
            <th scope="col">Lieu</th>
            <th scope="col">Offres</th>
            <th scope="col">Inscrits</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id}>
              <th scope="row">
                <button
                  type="button"
                  className="link-button"
                  onClick={() => navigate({ name: 'event', eventId: e.id })}
                >
                  {e.name}
                </button>
                {e.public ? <span className="tag fair-tag">Public</span> : null}
              </th>
              <td>{EVENT_KIND_LABELS[e.kind]}</td>
              <td>
                <span className={`status ${STATUS_CLASS[e.status]}`}>{EVENT_STATUS_LABELS[e.status]}</span>
              </td>
              <td>{formatWhen(e)}</td>
              <td>{formatPlace(e) || '—'}</td>
              <td>{e.offerIds.length}</td>
              <td>{e.registrationCount ?? 0}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** « Salons et sessions »: the current organisation's events, and the sessions asked of it. */
export function EventsScreen() {
  const { db, organisation, navigate } = useSession();
  const events = useAllEvents(db);
  if (!organisation)
    return (
      <section>
        <h1 tabIndex={-1}>Salons et sessions</h1>
        <p>Votre compte n’est rattaché à aucune organisation.</p>
      </section>
    );
  const lists = events ? splitEvents(events, organisation.organisationId, parisDay(new Date())) : null;
  const advisor = organisation.kind === 'prescriber';
  return (
    <section aria-labelledby="events-title" className="fair">
      <div className="page-header">
        <h1 id="events-title" tabIndex={-1}>
          Salons et sessions
        </h1>
        <div className="fair__actions">
          <button
            type="button"
            className="button button--primary"
            onClick={() => navigate({ name: 'event-form', kind: 'salon' })}
          >
            Nouveau salon
          </button>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => navigate({ name: 'event-form', kind: 'session' })}
          >
            {advisor ? 'Nouvelle session' : 'Demander une session'}
          </button>
        </div>
      </div>
      <p className="muted">
        Préparez vos salons de l’emploi et sessions de recrutement : offres présentées, collègues présents, et
        tout ce qu’il faut sur ce poste pour travailler sans réseau le jour J.
      </p>
      {!lists ? (
        <p className="loading">Chargement des événements…</p>
      ) : (
        <>
          {advisor || lists.requests.length > 0 ? (
            <section aria-labelledby="events-requests">
              <h2 id="events-requests">Demandes de session à planifier ({lists.requests.length})</h2>
              {lists.requests.length === 0 ? (
                <p className="empty-state">Aucune demande de session en attente.</p>
              ) : (
                <EventTable
                  events={lists.requests}
                  caption="Demandes de session à planifier"
                  testId="events-requests"
                />
              )}
            </section>
          ) : null}
          <section aria-labelledby="events-upcoming">
            <h2 id="events-upcoming">À venir ({lists.upcoming.length})</h2>
            {lists.upcoming.length === 0 ? (
              <p className="empty-state">
                Aucun événement à venir. Créez un salon avec « Nouveau salon » pour y présenter vos offres.
              </p>
            ) : (
              <EventTable events={lists.upcoming} caption="Événements à venir" testId="events-upcoming" />
            )}
          </section>
          <section aria-labelledby="events-past">
            <h2 id="events-past">Passés et annulés ({lists.past.length})</h2>
            {lists.past.length === 0 ? (
              <p className="empty-state">Aucun événement passé.</p>
            ) : (
              <EventTable events={lists.past} caption="Événements passés et annulés" testId="events-past" />
            )}
          </section>
        </>
      )}
    </section>
  );
}
