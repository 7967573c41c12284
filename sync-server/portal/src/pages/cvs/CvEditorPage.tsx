/**
 * Creating or editing a CV in four steps (seed 002 « Créer un CV – Mode complet »):
 * 0 Ma cible professionnelle → 1 Les informations de mon CV → 2 Mise en page → 3 Mise en ligne.
 * Every step saves the draft (« Enregistrer le brouillon », or on « Continuer »), so the candidate
 * can stop and resume later; the gauge follows the entry live; publishing under the threshold
 * opens the reminder (« Ignorer et continuer » / « Compléter votre CV »).
 */
import { type FormEvent, useEffect, useRef, useState } from 'react';
import {
  type CandidateCv,
  COMPLETENESS_THRESHOLD,
  CV_LIMITS,
  CV_STATUS_LABELS,
  type CvPublication,
  DRIVING_LICENCE_LABELS,
  DRIVING_LICENCES,
  LANGUAGE_LEVEL_LABELS,
  LANGUAGE_LEVELS,
  type LanguageLevel,
} from '../../../../../shared/domain/cv';
import { FILE_PURPOSES } from '../../../../../shared/domain/files';
import {
  CONTRACT_TYPE_LABELS,
  CONTRACT_TYPES,
  WORKING_TIME_LABELS,
  WORKING_TIMES,
} from '../../../../../shared/domain/offer';
import { apiRequest, isNotFound } from '../../api';
import type { CommuneChoice } from '../../companies-api';
import { CommuneInput } from '../../components/CommuneInput';
import { Link, navigate, PATHS } from '../../router';
import { useDocumentTitle } from '../../useDocumentTitle';
import { useLoad } from '../../useLoad';
import { CompletenessGauge } from './CompletenessGauge';
import { CvPdfActions } from './CvPdfActions';
import { CvMatchingOffers } from './CvPdfMatchingOffers';
import { cvApi, cvEditorHref, formatSize, type PublishAnswer } from './cv-api';
import {
  type CvDraft,
  draftCompleteness,
  draftFromCv,
  informationPayload,
  localInformationErrors,
  newKey,
  targetPayload,
} from './cv-draft';
import { controlProps, ErrorSummary, Field, FieldError, fieldId, localError, Modal } from './cv-forms';
import { StarRating } from './StarRating';
import './cvs.css';

export const CV_STEPS = [
  'Ma cible professionnelle',
  'Les informations de mon CV',
  'Mise en page',
  'Mise en ligne',
] as const;

function stepOf(search: string): number {
  const n = Number(new URLSearchParams(search).get('etape') ?? '0');
  return Number.isInteger(n) && n >= 0 && n <= 3 ? n : 0;
}

export function CvEditorPage({ id, search }: { id: string; search: string }) {
  const step = stepOf(search);
  const [state, retry] = useLoad(`cv:${id}`, (signal) => cvApi.get(id, signal));
  useDocumentTitle(`Mon CV – étape ${step} : ${CV_STEPS[step]}`);
  if (state.status === 'loading')
    return (
      <div className="cv-page">
        <h1>Mon CV</h1>
        <p aria-busy="true">Chargement du CV…</p>
      </div>
    );
  if (state.status === 'error')
    return (
      <div className="cv-page">
        <h1>Mon CV</h1>
        <div className="notice notice--error" role="alert">
          <p>
            {isNotFound(state.error)
              ? 'Ce CV n’existe pas ou ne vous appartient pas.'
              : 'Impossible de charger ce CV.'}
          </p>
          {!isNotFound(state.error) && (
            <button type="button" className="button button--secondary" onClick={retry}>
              Réessayer
            </button>
          )}
          <p>
            <Link to={PATHS.cvs}>Retour à mes CV</Link>
          </p>
        </div>
      </div>
    );
  return <CvEditor initial={state.data} step={step} />;
}

function CvEditor({ initial, step }: { initial: CandidateCv; step: number }) {
  const [cv, setCv] = useState(initial);
  const [draft, setDraft] = useState<CvDraft>(() => draftFromCv(initial));
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState('');
  const [busy, setBusy] = useState(false);
  const [reminder, setReminder] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);
  const gauge = draftCompleteness(draft);

  // A new step: its heading takes the focus (screen readers announce where they are).
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the step changes.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    // After the portal's own focus move to <main> (App.tsx), which runs after this effect.
    const timer = window.setTimeout(() => headingRef.current?.focus(), 0);
    setError(null);
    return () => window.clearTimeout(timer);
  }, [step]);

  const update = (patch: Partial<CvDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setSaved('');
  };

  const save = async (payload: Record<string, unknown>, message: string): Promise<CandidateCv | null> => {
    setBusy(true);
    setError(null);
    setSaved('');
    try {
      const next = await cvApi.save(cv.id, payload);
      setCv(next);
      setDraft(draftFromCv(next));
      setSaved(message);
      return next;
    } catch (e) {
      setError(e);
      return null;
    } finally {
      setBusy(false);
    }
  };

  const goTo = (n: number) => navigate(cvEditorHref(cv.id, n));

  const saveStep = async (next: boolean) => {
    if (step === 0) {
      if (next && !draft.appellation) {
        setError(
          localError('Choisissez le métier recherché.', [
            { field: 'target', message: 'Choisissez le métier recherché dans la liste proposée.' },
          ]),
        );
        return;
      }
      const ok = await save(targetPayload(draft), 'Votre cible professionnelle est enregistrée.');
      if (ok && next) goTo(cv.express ? 3 : 1);
    } else if (step === 1) {
      const local = localInformationErrors(draft);
      if (local.length > 0) {
        setError(
          localError(
            `Le CV contient ${local.length > 1 ? `${local.length} erreurs` : 'une erreur'} : corrigez les champs signalés.`,
            local,
          ),
        );
        return;
      }
      const ok = await save(informationPayload(draft), 'Les informations de votre CV sont enregistrées.');
      if (ok && next) goTo(2);
    } else if (step === 2) {
      goTo(3);
    }
  };

  const publish = async () => {
    setReminder(false);
    setBusy(true);
    setError(null);
    setSaved('');
    try {
      let answer: PublishAnswer;
      if (cv.status === 'suspendu') {
        await cvApi.save(cv.id, { publication: draft.publication });
        answer = await cvApi.resume(cv.id);
      } else answer = await cvApi.publish(cv.id, { publication: draft.publication });
      setCv(answer.cv);
      setDraft(draftFromCv(answer.cv));
      setSaved(
        answer.cv.publication.cvtheque
          ? 'Votre CV est en ligne : les recruteurs peuvent le trouver dans la CVthèque.'
          : 'Votre CV est en ligne. Il n’est pas visible dans la CVthèque : vous pouvez l’utiliser pour postuler.',
      );
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const onPublish = (event: FormEvent) => {
    event.preventDefault();
    if (cv.status === 'publie') {
      void save({ publication: draft.publication }, 'Vos choix de mise en ligne sont enregistrés.');
      return;
    }
    if (gauge.value < COMPLETENESS_THRESHOLD) setReminder(true);
    else void publish();
  };

  return (
    <div className="cv-page">
      <h1>{cv.title ? `Mon CV : ${cv.title}` : 'Mon CV'}</h1>
      <p>
        <span className={`cv-status cv-status--${cv.status}`}>{CV_STATUS_LABELS[cv.status]}</span>
        {cv.express && ' · CV express'} · <Link to={PATHS.cvs}>Retour à mes CV</Link>
      </p>
      <nav aria-label="Étapes du CV">
        <ol className="cv-steps">
          {CV_STEPS.map((label, n) => (
            <li key={label}>
              <Link to={cvEditorHref(cv.id, n)} aria-current={n === step ? 'step' : undefined}>
                Étape {n} : {label}
              </Link>
            </li>
          ))}
        </ol>
      </nav>
      <CompletenessGauge value={gauge.value} missing={gauge.missing} />
      <ErrorSummary error={error} />
      {saved && (
        <p className="notice notice--success" role="status">
          {saved}
        </p>
      )}

      <h2 ref={headingRef} tabIndex={-1}>
        Étape {step} : {CV_STEPS[step]}
      </h2>

      {step === 0 && (
        <form
          className="form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void saveStep(true);
          }}
        >
          <TargetStep draft={draft} update={update} error={error} />
          <StepActions busy={busy} onDraft={() => void saveStep(false)} />
        </form>
      )}
      {step === 1 && (
        <form
          className="form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void saveStep(true);
          }}
        >
          <InformationStep
            draft={draft}
            update={update}
            error={error}
            express={cv.express}
            setError={setError}
          />
          <StepActions busy={busy} onDraft={() => void saveStep(false)} onBack={() => goTo(0)} />
        </form>
      )}
      {step === 2 && (
        <section aria-label="Mise en page, PDF et envoi" className="cv-layout">
          <p>
            Choisissez la présentation de votre CV (trois modèles, expérience ou formation en premier),
            visualisez-le en PDF ou envoyez-le par courriel.
          </p>
          <CvPdfActions cvId={cv.id} headingLevel={3} />
          <div className="form__actions">
            <button type="button" className="button" onClick={() => goTo(3)}>
              Continuer
            </button>
            <button type="button" className="button button--secondary" onClick={() => goTo(1)}>
              Étape précédente
            </button>
          </div>
        </section>
      )}
      {step === 3 && (
        <form className="form" noValidate onSubmit={onPublish}>
          <PublicationStep
            publication={draft.publication}
            onChange={(publication) => update({ publication })}
            error={error}
          />
          <div className="form__actions">
            <button type="submit" className="button" disabled={busy}>
              {cv.status === 'publie' ? 'Enregistrer mes choix' : 'Mettre en ligne mon CV'}
            </button>
            <button
              type="button"
              className="button button--secondary"
              onClick={() => goTo(cv.express ? 0 : 2)}
            >
              Étape précédente
            </button>
          </div>
          {cv.status === 'publie' && (
            <p>
              <Link to={PATHS.cvs}>Retour à mes CV</Link>
            </p>
          )}
        </form>
      )}
      {step === 3 && cv.status === 'publie' && <CvMatchingOffers cvId={cv.id} headingLevel={3} />}

      <Modal open={reminder} title="Taux de saisie de votre CV" onClose={() => setReminder(false)}>
        <p>
          Votre CV est complété à <strong>{gauge.value} %</strong>.
        </p>
        <p>
          Votre CV pourrait obtenir un meilleur score. Nous vous conseillons de le compléter, afin d’augmenter
          votre visibilité auprès des recruteurs.
        </p>
        {gauge.missing.length > 0 && <p>À compléter : {gauge.missing.join(', ')}.</p>}
        <div className="form__actions">
          <button type="button" className="button button--secondary" onClick={() => void publish()}>
            Ignorer et continuer
          </button>
          <button
            type="button"
            className="button"
            onClick={() => {
              setReminder(false);
              goTo(draft.appellation ? 1 : 0);
            }}
          >
            Compléter votre CV
          </button>
        </div>
      </Modal>
    </div>
  );
}

function StepActions({ busy, onDraft, onBack }: { busy: boolean; onDraft: () => void; onBack?: () => void }) {
  return (
    <div className="form__actions">
      <button type="submit" className="button" disabled={busy}>
        Enregistrer et continuer
      </button>
      <button type="button" className="button button--secondary" disabled={busy} onClick={onDraft}>
        Enregistrer le brouillon
      </button>
      {onBack && (
        <button type="button" className="button button--secondary" onClick={onBack}>
          Étape précédente
        </button>
      )}
    </div>
  );
}

interface StepProps {
  draft: CvDraft;
  update: (patch: Partial<CvDraft>) => void;
  error: unknown;
}

interface Suggestion {
  codeOgr: string;
  label: string;
  romeCode: string;
  romeLabel: string;
}

function TargetStep({ draft, update, error }: StepProps) {
  const [query, setQuery] = useState('');
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  const [status, setStatus] = useState('');
  const [communeKey, setCommuneKey] = useState(0);

  useEffect(() => {
    const q = query.trim();
    if (q.length < 2) {
      setSuggestions([]);
      return;
    }
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      apiRequest<{ items: Suggestion[] }>(
        'GET',
        `/api/reference/rome/appellations?q=${encodeURIComponent(q)}&limit=8`,
        undefined,
        { signal: controller.signal },
      ).then(
        (res) => {
          setSuggestions(res.items);
          setStatus(
            res.items.length === 0
              ? 'Aucun métier trouvé.'
              : `${res.items.length} métier(s) proposé(s) ci-dessous.`,
          );
        },
        () => {
          if (!controller.signal.aborted) setStatus('Recherche des métiers impossible pour le moment.');
        },
      );
    }, 250);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [query]);

  const toggle = <T extends string>(list: T[], value: T): T[] =>
    list.includes(value) ? list.filter((v) => v !== value) : [...list, value];

  const targetMessage = controlProps('target', error, true);
  return (
    <>
      <p>
        Ces choix permettent aux recruteurs de vous trouver et aux offres correspondantes de vous être
        proposées.
      </p>
      <fieldset id={fieldId('target')} tabIndex={-1} aria-describedby={targetMessage['aria-describedby']}>
        <legend>Métier recherché</legend>
        <p className="field__hint" id={`${fieldId('target')}-aide`}>
          Le métier choisi est le titre proposé pour votre CV. Chaque CV vise un métier (code ROME) différent.
        </p>
        {draft.appellation ? (
          <p>
            Métier choisi : <strong>{draft.appellation.label}</strong> (code ROME {draft.appellation.romeCode}
            ){' '}
            <button type="button" className="link-button" onClick={() => update({ appellation: null })}>
              Changer de métier
            </button>
          </p>
        ) : (
          <p>Aucun métier sélectionné.</p>
        )}
        <div className="field">
          <label htmlFor="cv-recherche-metier">
            {draft.appellation ? 'Chercher un autre métier' : 'Chercher un métier'}
          </label>
          <input
            id="cv-recherche-metier"
            type="search"
            autoComplete="off"
            value={query}
            placeholder="Ex. : boulanger, aide-soignant, K2204"
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') e.preventDefault();
            }}
          />
        </div>
        <p className="visually-hidden" role="status">
          {status}
        </p>
        {suggestions.length > 0 && (
          <ul className="cv-suggestions" aria-label="Métiers proposés">
            {suggestions.map((s) => (
              <li key={s.codeOgr}>
                <button
                  type="button"
                  className="button button--secondary"
                  onClick={() => {
                    update({ appellation: { code: s.codeOgr, label: s.label, romeCode: s.romeCode } });
                    setQuery('');
                    setSuggestions([]);
                    setStatus(`${s.label} choisi.`);
                  }}
                >
                  Choisir « {s.label} » ({s.romeCode})
                </button>
              </li>
            ))}
          </ul>
        )}
        <FieldError field="target" error={error} />
      </fieldset>

      <fieldset id={fieldId('target.workplaces')} tabIndex={-1}>
        <legend>Lieux de travail souhaités</legend>
        {draft.workplaces.length > 0 ? (
          <ul className="cv-chosen" aria-label="Lieux choisis">
            {draft.workplaces.map((w) => (
              <li key={w.communeCode}>
                {w.communeName}
                <button
                  type="button"
                  className="link-button"
                  aria-label={`Retirer ${w.communeName}`}
                  onClick={() =>
                    update({ workplaces: draft.workplaces.filter((x) => x.communeCode !== w.communeCode) })
                  }
                >
                  Retirer
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p>Aucun lieu de travail sélectionné.</p>
        )}
        {draft.workplaces.length < CV_LIMITS.workplaces && (
          <div className="field">
            <label htmlFor="cv-lieu">Ajouter une commune ({CV_LIMITS.workplaces} au plus)</label>
            <CommuneInput
              key={communeKey}
              id="cv-lieu"
              value={null}
              onChange={(commune: CommuneChoice | null) => {
                if (!commune) return;
                if (!draft.workplaces.some((w) => w.communeCode === commune.code))
                  update({
                    workplaces: [
                      ...draft.workplaces,
                      { communeCode: commune.code, communeName: commune.name },
                    ],
                  });
                setCommuneKey((k) => k + 1);
              }}
            />
          </div>
        )}
        <FieldError field="target.workplaces" error={error} />
      </fieldset>

      <fieldset id={fieldId('target.contractTypes')} tabIndex={-1}>
        <legend>Types de contrat recherchés</legend>
        <div className="cv-choices">
          {CONTRACT_TYPES.map((t) => (
            <div className="choice" key={t}>
              <input
                type="checkbox"
                id={`cv-contrat-${t}`}
                checked={draft.contractTypes.includes(t)}
                onChange={() => update({ contractTypes: toggle(draft.contractTypes, t) })}
              />
              <label htmlFor={`cv-contrat-${t}`}>{CONTRACT_TYPE_LABELS[t]}</label>
            </div>
          ))}
        </div>
        <FieldError field="target.contractTypes" error={error} />
      </fieldset>

      <fieldset id={fieldId('target.workingTimes')} tabIndex={-1}>
        <legend>Durée de travail recherchée</legend>
        <div className="cv-choices">
          {WORKING_TIMES.map((t) => (
            <div className="choice" key={t}>
              <input
                type="checkbox"
                id={`cv-duree-${t}`}
                checked={draft.workingTimes.includes(t)}
                onChange={() => update({ workingTimes: toggle(draft.workingTimes, t) })}
              />
              <label htmlFor={`cv-duree-${t}`}>{WORKING_TIME_LABELS[t]}</label>
            </div>
          ))}
        </div>
        <FieldError field="target.workingTimes" error={error} />
      </fieldset>
    </>
  );
}

function focusSoon(id: string) {
  window.setTimeout(() => document.getElementById(id)?.focus(), 0);
}

function InformationStep({
  draft,
  update,
  error,
  express,
  setError,
}: StepProps & { express: boolean; setError: (e: unknown) => void }) {
  const [uploading, setUploading] = useState(false);
  const setItem = <K extends 'experiences' | 'diplomas' | 'skills' | 'languages'>(
    list: K,
    index: number,
    patch: Partial<CvDraft[K][number]>,
  ) => {
    const items = [...draft[list]] as CvDraft[K][number][];
    items[index] = { ...items[index]!, ...patch };
    update({ [list]: items } as Partial<CvDraft>);
  };
  const removeItem = (
    list: 'experiences' | 'diplomas' | 'skills' | 'languages',
    index: number,
    focusId: string,
  ) => {
    update({ [list]: draft[list].filter((_, i) => i !== index) } as Partial<CvDraft>);
    focusSoon(focusId);
  };

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    setUploading(true);
    try {
      const uploaded = await cvApi.upload(file);
      update({
        file: {
          sha256: uploaded.sha256,
          name: file.name.slice(0, 200),
          mime: uploaded.mime,
          size: uploaded.size,
        },
      });
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setUploading(false);
    }
  };

  return (
    <>
      <Field
        field="title"
        label="Titre du CV"
        hint="Par défaut, le métier choisi à l’étape 0. Vous pouvez le modifier."
        error={error}
      >
        {(p) => (
          <input
            {...p}
            maxLength={CV_LIMITS.title}
            value={draft.title}
            onChange={(e) => update({ title: e.target.value })}
          />
        )}
      </Field>
      <Field
        field="summary"
        label="Accroche"
        hint="Votre objectif en quelques lignes : simple, claire, elle donne envie à l’employeur de lire votre CV."
        error={error}
      >
        {(p) => (
          <textarea
            {...p}
            rows={4}
            maxLength={CV_LIMITS.summary}
            value={draft.summary}
            onChange={(e) => update({ summary: e.target.value })}
          />
        )}
      </Field>

      <section aria-labelledby="cv-titre-experiences">
        <h3 id="cv-titre-experiences">Expériences professionnelles</h3>
        {draft.experiences.length === 0 && <p>Aucune expérience pour le moment.</p>}
        {draft.experiences.map((x, i) => {
          const f = (k: string) => `experiences.${i}.${k}`;
          return (
            <fieldset key={x.key} className="cv-item">
              <legend>
                Expérience {i + 1}
                {x.jobTitle ? ` : ${x.jobTitle}` : ''}
              </legend>
              <div className="cv-row">
                <Field field={f('company')} label="Entreprise" error={error}>
                  {(p) => (
                    <input
                      {...p}
                      maxLength={CV_LIMITS.company}
                      value={x.company}
                      onChange={(e) => setItem('experiences', i, { company: e.target.value })}
                    />
                  )}
                </Field>
                <Field field={f('jobTitle')} label="Poste occupé" error={error}>
                  {(p) => (
                    <input
                      {...p}
                      maxLength={CV_LIMITS.jobTitle}
                      value={x.jobTitle}
                      onChange={(e) => setItem('experiences', i, { jobTitle: e.target.value })}
                    />
                  )}
                </Field>
              </div>
              <div className="cv-row">
                <Field field={f('start')} label="Début" hint="Mois et année (AAAA-MM)" error={error}>
                  {(p) => (
                    <input
                      {...p}
                      type="month"
                      value={x.start}
                      onChange={(e) => setItem('experiences', i, { start: e.target.value })}
                    />
                  )}
                </Field>
                <Field field={f('end')} label="Fin" hint="Mois et année (AAAA-MM)" error={error}>
                  {(p) => (
                    <input
                      {...p}
                      type="month"
                      value={x.current ? '' : x.end}
                      disabled={x.current}
                      onChange={(e) => setItem('experiences', i, { end: e.target.value })}
                    />
                  )}
                </Field>
              </div>
              <div className="choice">
                <input
                  type="checkbox"
                  id={`cv-exp-${x.key}-courant`}
                  checked={x.current}
                  onChange={(e) => setItem('experiences', i, { current: e.target.checked })}
                />
                <label htmlFor={`cv-exp-${x.key}-courant`}>Jusqu’à aujourd’hui (poste actuel)</label>
              </div>
              <Field field={f('description')} label="Description de vos activités" error={error}>
                {(p) => (
                  <textarea
                    {...p}
                    rows={3}
                    maxLength={CV_LIMITS.experienceDescription}
                    value={x.description}
                    onChange={(e) => setItem('experiences', i, { description: e.target.value })}
                  />
                )}
              </Field>
              <button
                type="button"
                className="button button--secondary"
                onClick={() => removeItem('experiences', i, 'cv-ajouter-experience')}
              >
                Retirer l’expérience {i + 1}
              </button>
            </fieldset>
          );
        })}
        {draft.experiences.length < CV_LIMITS.experiences && (
          <button
            type="button"
            id="cv-ajouter-experience"
            className="button button--secondary"
            onClick={() => {
              update({
                experiences: [
                  ...draft.experiences,
                  {
                    key: newKey(),
                    company: '',
                    jobTitle: '',
                    start: '',
                    end: '',
                    current: false,
                    description: '',
                  },
                ],
              });
              focusSoon(fieldId(`experiences.${draft.experiences.length}.company`));
            }}
          >
            Ajouter une expérience
          </button>
        )}
        <FieldError field="experiences" error={error} />
      </section>

      <section aria-labelledby="cv-titre-formations">
        <h3 id="cv-titre-formations">Formations et diplômes</h3>
        {draft.diplomas.length === 0 && <p>Aucune formation pour le moment.</p>}
        {draft.diplomas.map((x, i) => {
          const f = (k: string) => `diplomas.${i}.${k}`;
          return (
            <fieldset key={x.key} className="cv-item">
              <legend>
                Formation {i + 1}
                {x.title ? ` : ${x.title}` : ''}
              </legend>
              <div className="cv-row">
                <Field field={f('title')} label="Intitulé du diplôme ou de la formation" error={error}>
                  {(p) => (
                    <input
                      {...p}
                      maxLength={CV_LIMITS.diplomaTitle}
                      value={x.title}
                      onChange={(e) => setItem('diplomas', i, { title: e.target.value })}
                    />
                  )}
                </Field>
                <Field
                  field={f('date')}
                  label="Date d’obtention"
                  hint="Année (AAAA) ou mois (AAAA-MM)"
                  error={error}
                >
                  {(p) => (
                    <input
                      {...p}
                      inputMode="numeric"
                      maxLength={7}
                      value={x.date}
                      onChange={(e) => setItem('diplomas', i, { date: e.target.value })}
                    />
                  )}
                </Field>
              </div>
              <Field field={f('description')} label="Description (facultative)" error={error}>
                {(p) => (
                  <textarea
                    {...p}
                    rows={2}
                    maxLength={CV_LIMITS.diplomaDescription}
                    value={x.description}
                    onChange={(e) => setItem('diplomas', i, { description: e.target.value })}
                  />
                )}
              </Field>
              <button
                type="button"
                className="button button--secondary"
                onClick={() => removeItem('diplomas', i, 'cv-ajouter-formation')}
              >
                Retirer la formation {i + 1}
              </button>
            </fieldset>
          );
        })}
        {draft.diplomas.length < CV_LIMITS.diplomas && (
          <button
            type="button"
            id="cv-ajouter-formation"
            className="button button--secondary"
            onClick={() => {
              update({
                diplomas: [...draft.diplomas, { key: newKey(), title: '', date: '', description: '' }],
              });
              focusSoon(fieldId(`diplomas.${draft.diplomas.length}.title`));
            }}
          >
            Ajouter une formation
          </button>
        )}
      </section>

      <section aria-labelledby="cv-titre-competences">
        <h3 id="cv-titre-competences">Compétences</h3>
        {draft.skills.length === 0 && <p>Aucune compétence pour le moment.</p>}
        {draft.skills.map((x, i) => {
          const f = (k: string) => `skills.${i}.${k}`;
          const level = controlProps(f('level'), error);
          return (
            <fieldset key={x.key} className="cv-item">
              <legend>
                Compétence {i + 1}
                {x.label ? ` : ${x.label}` : ''}
              </legend>
              <Field field={f('label')} label="Compétence" error={error}>
                {(p) => (
                  <input
                    {...p}
                    maxLength={CV_LIMITS.skillLabel}
                    value={x.label}
                    onChange={(e) => setItem('skills', i, { label: e.target.value })}
                  />
                )}
              </Field>
              <StarRating
                id={level.id}
                name={`cv-niveau-${x.key}`}
                legend={`Niveau${x.label ? ` en ${x.label}` : ''}`}
                value={x.level}
                onChange={(n) => setItem('skills', i, { level: n })}
                {...(level['aria-describedby'] ? { describedBy: level['aria-describedby'] } : {})}
                invalid={!!level['aria-invalid']}
              />
              <FieldError field={f('level')} error={error} />
              <button
                type="button"
                className="button button--secondary"
                onClick={() => removeItem('skills', i, 'cv-ajouter-competence')}
              >
                Retirer la compétence {i + 1}
              </button>
            </fieldset>
          );
        })}
        {draft.skills.length < CV_LIMITS.skills && (
          <button
            type="button"
            id="cv-ajouter-competence"
            className="button button--secondary"
            onClick={() => {
              update({ skills: [...draft.skills, { key: newKey(), label: '', level: 3 }] });
              focusSoon(fieldId(`skills.${draft.skills.length}.label`));
            }}
          >
            Ajouter une compétence
          </button>
        )}
      </section>

      <section aria-labelledby="cv-titre-langues">
        <h3 id="cv-titre-langues">Langues</h3>
        {draft.languages.map((x, i) => {
          const f = (k: string) => `languages.${i}.${k}`;
          return (
            <fieldset key={x.key} className="cv-item">
              <legend>Langue {i + 1}</legend>
              <div className="cv-row">
                <Field field={f('language')} label="Langue" error={error}>
                  {(p) => (
                    <input
                      {...p}
                      maxLength={CV_LIMITS.language}
                      value={x.language}
                      onChange={(e) => setItem('languages', i, { language: e.target.value })}
                    />
                  )}
                </Field>
                <Field field={f('level')} label="Niveau" error={error}>
                  {(p) => (
                    <select
                      {...p}
                      value={x.level}
                      onChange={(e) => setItem('languages', i, { level: e.target.value as LanguageLevel })}
                    >
                      {LANGUAGE_LEVELS.map((l) => (
                        <option key={l} value={l}>
                          {LANGUAGE_LEVEL_LABELS[l]}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
              </div>
              <button
                type="button"
                className="button button--secondary"
                onClick={() => removeItem('languages', i, 'cv-ajouter-langue')}
              >
                Retirer la langue {i + 1}
              </button>
            </fieldset>
          );
        })}
        {draft.languages.length < CV_LIMITS.languages && (
          <button
            type="button"
            id="cv-ajouter-langue"
            className="button button--secondary"
            onClick={() => {
              update({
                languages: [...draft.languages, { key: newKey(), language: '', level: 'intermediaire' }],
              });
              focusSoon(fieldId(`languages.${draft.languages.length}.language`));
            }}
          >
            Ajouter une langue
          </button>
        )}
      </section>

      <fieldset id={fieldId('licences')} tabIndex={-1}>
        <legend>Permis de conduire</legend>
        <div className="cv-choices">
          {DRIVING_LICENCES.map((l) => (
            <div className="choice" key={l}>
              <input
                type="checkbox"
                id={`cv-permis-${l}`}
                checked={draft.licences.includes(l)}
                onChange={() =>
                  update({
                    licences: draft.licences.includes(l)
                      ? draft.licences.filter((x) => x !== l)
                      : [...draft.licences, l],
                  })
                }
              />
              <label htmlFor={`cv-permis-${l}`}>{DRIVING_LICENCE_LABELS[l]}</label>
            </div>
          ))}
        </div>
        <FieldError field="licences" error={error} />
      </fieldset>

      <section aria-labelledby="cv-titre-fichier">
        <h3 id="cv-titre-fichier">Mon CV personnel (fichier joint)</h3>
        {draft.file ? (
          <p>
            Fichier joint :{' '}
            <a href={`/api/files/${draft.file.sha256}`} download={draft.file.name}>
              {draft.file.name}
            </a>{' '}
            ({formatSize(draft.file.size)}){' '}
            {!express && (
              <button type="button" className="link-button" onClick={() => update({ file: null })}>
                Retirer le fichier
              </button>
            )}
          </p>
        ) : (
          <p>Aucun fichier joint.</p>
        )}
        <Field
          field="file"
          label={draft.file ? 'Remplacer le fichier' : 'Joindre mon CV personnel'}
          hint={`${FILE_PURPOSES.cv.rule} Vous décidez de l’anonymat de ce document : vos coordonnées y figurent ou non.`}
          error={error}
        >
          {(p) => (
            <input
              {...p}
              type="file"
              accept={FILE_PURPOSES.cv.accept}
              disabled={uploading}
              onChange={(e) => void onFile(e.target.files?.[0])}
            />
          )}
        </Field>
        {uploading && <p role="status">Envoi du fichier…</p>}
      </section>
    </>
  );
}

function PublicationStep({
  publication,
  onChange,
  error,
}: {
  publication: CvPublication;
  onChange: (p: CvPublication) => void;
  error: unknown;
}) {
  const box = (key: keyof CvPublication, label: string, hint?: string) => (
    <div className="choice">
      <input
        type="checkbox"
        {...controlProps(`publication.${key}`, error, !!hint)}
        checked={publication[key]}
        onChange={(e) => onChange({ ...publication, [key]: e.target.checked })}
      />
      <label htmlFor={fieldId(`publication.${key}`)}>
        {label}
        {hint && (
          <span className="field__hint" id={`${fieldId(`publication.${key}`)}-aide`}>
            {' '}
            {hint}
          </span>
        )}
      </label>
      <FieldError field={`publication.${key}`} error={error} />
    </div>
  );
  return (
    <>
      <p>
        Vous choisissez qui voit votre CV et ce qu’il montre. Vous pourrez changer ces choix à tout moment.
      </p>
      <fieldset>
        <legend>Mise en ligne</legend>
        {box(
          'cvtheque',
          'Rendre mon CV visible dans la CVthèque',
          '(les recruteurs, conseillers et organismes de formation peuvent le trouver)',
        )}
        {box(
          'anonymous',
          'CV anonyme',
          '(ni votre nom ni vos coordonnées n’apparaissent dans la CVthèque ; votre CV joint n’y est pas montré, seul son texte sert à la recherche, sans vos nom, e-mail ni téléphone)',
        )}
        {box(
          'showContact',
          'Afficher mes coordonnées aux recruteurs',
          '(adresse e-mail, et téléphone si vous avez choisi de l’afficher dans votre profil ; sans effet si le CV est anonyme)',
        )}
        {box(
          'advisorsMayShare',
          'J’autorise les conseillers à transmettre mon CV aux employeurs avec mes données personnelles',
        )}
      </fieldset>
      <div id={fieldId('email')} tabIndex={-1}>
        <FieldError field="email" error={error} />
      </div>
    </>
  );
}
