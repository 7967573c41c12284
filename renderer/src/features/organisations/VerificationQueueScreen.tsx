import { type FormEvent, useCallback, useEffect, useMemo, useState } from 'react';
import type { OrganisationDoc } from '../../../../shared/schemas';
import { useSession } from '../../app/session-context';
import { NetworkError } from '../../lib/api';
import { formatDateTime, plural } from '../../lib/format';
import { errorText, ONLINE_ONLY } from './OrganisationScreen';
import {
  decideVerification,
  fetchVerificationQueue,
  type QueueItem,
  type VerificationDecisionInput,
} from './organisation-api';
import {
  describeSubtype,
  formatSiret,
  kindLabel,
  memberName,
  sectorLabel,
  sizeBandLabel,
  verificationLabel,
} from './organisation-form';
import { useOnline, useOrganisationDocs } from './use-organisations';
import './organisations.css';

const DECISIONS: { value: VerificationDecisionInput; label: string; reasonLabel?: string }[] = [
  { value: 'accepter', label: 'Accepter' },
  {
    value: 'demander-informations',
    label: 'Demander des informations',
    reasonLabel: 'Informations attendues (montrées aux administrateurs de l’organisation)',
  },
  {
    value: 'refuser',
    label: 'Refuser',
    reasonLabel: 'Motif du refus (montré aux administrateurs de l’organisation)',
  },
];

function QueueCard({
  item,
  online,
  onDecided,
}: {
  item: QueueItem;
  online: boolean;
  onDecided: (id: string, message: string) => void;
}) {
  const org = item.organisation;
  const [choice, setChoice] = useState<VerificationDecisionInput | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const reasonId = `verif-reason-${org.id}`;
  const selected = DECISIONS.find((d) => d.value === choice);

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    if (!choice) return;
    if (choice !== 'accepter' && !reason.trim()) {
      setError(
        choice === 'refuser'
          ? 'Indiquez la raison du refus : elle sera montrée aux membres de l’organisation.'
          : 'Indiquez les informations attendues : elles seront montrées aux membres de l’organisation.',
      );
      document.getElementById(reasonId)?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await decideVerification(org.id, choice, choice === 'accepter' ? undefined : reason.trim());
      onDecided(
        org.id,
        choice === 'accepter'
          ? `« ${org.name} » est vérifiée.`
          : choice === 'refuser'
            ? `« ${org.name} » est refusée.`
            : `Informations demandées à « ${org.name} ».`,
      );
    } catch (err) {
      setError(errorText(err, 'La décision n’a pas pu être envoyée.'));
      setBusy(false);
    }
  }

  const address = org.address
    ? [org.address.street, `${org.address.postalCode} ${org.address.city}`].filter(Boolean).join(', ')
    : 'Adresse non renseignée';
  const admins = org.members.filter((m) => m.role === 'admin');

  return (
    <article
      className="card org-queue-item"
      aria-labelledby={`verif-${org.id}`}
      data-testid="verification-item"
    >
      <header className="org-queue-item__header">
        <h2 id={`verif-${org.id}`}>{org.name}</h2>
        <span
          className={`status ${org.verificationState === 'informations_demandees' ? 'status--info' : 'status--warning'}`}
        >
          {verificationLabel(org.verificationState)}
        </span>
      </header>
      <dl className="org-facts">
        <div>
          <dt>Type</dt>
          <dd>
            {kindLabel(org.kind)}
            {org.subtype ? ` · ${describeSubtype(org.kind, org.subtype)}` : ''}
            {item.parentName ? ` · antenne de « ${item.parentName} »` : ''}
          </dd>
        </div>
        <div>
          <dt>SIRET</dt>
          <dd>
            {org.siret ? formatSiret(org.siret) : '—'}
            {item.sameSiret.length > 0 ? (
              <span className="org-warning">
                {' '}
                Même SIRET que :{' '}
                {item.sameSiret.map((s) => `« ${s.name} » (${kindLabel(s.kind)})`).join(', ')}
              </span>
            ) : null}
          </dd>
        </div>
        <div>
          <dt>Activité</dt>
          <dd>
            {[org.nafCode, sectorLabel(org.sector), sizeBandLabel(org.sizeBand)]
              .filter(Boolean)
              .join(' · ') || '—'}
          </dd>
        </div>
        <div>
          <dt>Adresse</dt>
          <dd>{address}</dd>
        </div>
        <div>
          <dt>Créée par</dt>
          <dd>
            {item.creator
              ? `${item.creator.name}${item.creator.jobTitle ? `, ${item.creator.jobTitle}` : ''} — ${item.creator.email}`
              : 'Compte supprimé'}
          </dd>
        </div>
        <div>
          <dt>Administrateurs</dt>
          <dd>
            {admins.map((m) => `${memberName(m)} (${m.jobTitle ?? 'fonction non précisée'})`).join(', ') ||
              '—'}
          </dd>
        </div>
        <div>
          <dt>Contact</dt>
          <dd>{[org.phone, org.email].filter(Boolean).join(' · ') || '—'}</dd>
        </div>
        <div>
          <dt>Inscrite le</dt>
          <dd>{formatDateTime(org.createdAt)}</dd>
        </div>
        {org.verificationReason ? (
          <div>
            <dt>Dernière demande</dt>
            <dd>{org.verificationReason}</dd>
          </div>
        ) : null}
      </dl>
      <form onSubmit={submit} className="org-decision">
        <fieldset className="org-decision__choices">
          <legend>Décision</legend>
          {DECISIONS.map((d) => (
            <label key={d.value} className="org-decision__choice">
              <input
                type="radio"
                name={`decision-${org.id}`}
                value={d.value}
                checked={choice === d.value}
                onChange={() => {
                  setChoice(d.value);
                  setError(null);
                }}
              />{' '}
              {d.label}
            </label>
          ))}
        </fieldset>
        {selected?.reasonLabel ? (
          <div className={`field${error ? ' field--error' : ''}`}>
            <label htmlFor={reasonId}>
              {selected.reasonLabel}
              <span className="required" aria-hidden="true">
                {' '}
                *
              </span>
            </label>
            <textarea
              id={reasonId}
              rows={3}
              maxLength={1000}
              aria-required="true"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </div>
        ) : null}
        {error ? (
          <p className="field__error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="form-actions">
          <button
            type="submit"
            className={`button ${choice === 'refuser' ? 'button--danger' : 'button--primary'}`}
            disabled={!choice || busy || !online}
          >
            Envoyer la décision
          </button>
          {!online ? <span className="org-offline">{ONLINE_ONLY}</span> : null}
        </div>
      </form>
    </article>
  );
}

/** Moderators' queue (seeds 000, 003): new employers and agencies to verify before they publish. */
export function VerificationQueueScreen() {
  const { db, sync, announce } = useSession();
  const online = useOnline(sync);
  const replica = useOrganisationDocs(db);
  const [items, setItems] = useState<QueueItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [decided, setDecided] = useState<Set<string>>(new Set());

  const load = useCallback(async () => {
    try {
      const res = await fetchVerificationQueue();
      setItems(res.organisations);
      setError(null);
    } catch (err) {
      if (!(err instanceof NetworkError)) setError(errorText(err));
      setItems(null);
    }
  }, []);

  useEffect(() => {
    if (online) void load();
  }, [online, load]);

  // Offline: the pending organisations the replica holds (moderators replicate them), without details.
  const offlineItems = useMemo<QueueItem[]>(
    () =>
      (replica ?? [])
        .filter(
          (o: OrganisationDoc) =>
            o.verificationState === 'en_attente' || o.verificationState === 'informations_demandees',
        )
        .map((organisation) => ({ organisation, creator: null, sameSiret: [] })),
    [replica],
  );
  const shown = (items ?? offlineItems).filter((i) => !decided.has(i.organisation.id));

  return (
    <section aria-labelledby="verif-title" className="org-screen">
      <div className="page-header">
        <h1 id="verif-title" tabIndex={-1}>
          Vérification des organisations
        </h1>
        <p className="muted">
          {shown.length} {plural(shown.length, 'organisation à vérifier', 'organisations à vérifier')} —
          SIRET, nom, adresse et fonction de la personne qui l’a inscrite.
        </p>
      </div>
      {!online ? (
        <div className="alert alert--warning" role="status">
          Hors ligne : les décisions sont disponibles en ligne uniquement.
        </div>
      ) : null}
      {error ? (
        <div className="alert alert--error" role="alert">
          {error}
        </div>
      ) : null}
      {shown.length === 0 ? (
        <div className="empty-state">
          <p>Aucune organisation en attente de vérification.</p>
        </div>
      ) : (
        <div className="org-queue">
          {shown.map((item) => (
            <QueueCard
              key={item.organisation.id}
              item={item}
              online={online && items !== null}
              onDecided={(id, message) => {
                setDecided((prev) => new Set(prev).add(id));
                announce(message);
              }}
            />
          ))}
        </div>
      )}
    </section>
  );
}
