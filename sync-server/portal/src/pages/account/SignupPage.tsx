import { type FormEvent, useState } from 'react';
import { type LoginResponse, MIN_PASSWORD_LENGTH } from '../../../../../shared/domain/account';
import { apiRequest } from '../../api';
import type { CommuneChoice } from '../../companies-api';
import { CommuneInput } from '../../components/CommuneInput';
import { Link, navigate, PATHS } from '../../router';
import { useSession } from '../../session';
import { useDocumentTitle } from '../../useDocumentTitle';
import { describedBy, ErrorSummary, errorFor, Field, FieldError, fieldId, localError } from './forms';
import { hasPrefill, signupPrefill } from './signup-prefill';
import './account.css';

export function SignupPage({ search }: { search: string }) {
  useDocumentTitle('Créer un compte candidat');
  const { signedIn } = useSession();
  // The follow-up e-mail of a fair capture links here with the person's name and e-mail: they only
  // fill the inputs (checked and editable), never anything else.
  const [prefill] = useState(() => signupPrefill(search));
  const [form, setForm] = useState({
    firstName: prefill.firstName,
    lastName: prefill.lastName,
    email: prefill.email,
    password: '',
  });
  const [city, setCity] = useState<CommuneChoice | null>(null);
  const [cityText, setCityText] = useState('');
  const [acceptTerms, setAcceptTerms] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const fields = [];
    if (!form.firstName.trim()) fields.push({ field: 'firstName', message: 'Le prénom est obligatoire.' });
    if (!form.lastName.trim()) fields.push({ field: 'lastName', message: 'Le nom est obligatoire.' });
    if (!form.email.trim()) fields.push({ field: 'email', message: 'Saisissez votre adresse e-mail.' });
    if (form.password.length < MIN_PASSWORD_LENGTH)
      fields.push({
        field: 'password',
        message: `Le mot de passe doit compter au moins ${MIN_PASSWORD_LENGTH} caractères.`,
      });
    if (!city)
      fields.push({
        field: 'city',
        message: cityText.trim()
          ? 'Choisissez votre ville dans la liste proposée.'
          : 'Indiquez votre ville et choisissez-la dans la liste.',
      });
    if (!acceptTerms)
      fields.push({
        field: 'acceptTerms',
        message: 'Acceptez les conditions d’utilisation pour créer votre compte.',
      });
    if (fields.length > 0) {
      setError(localError('Le formulaire d’inscription contient des erreurs.', fields));
      return;
    }
    setBusy(true);
    try {
      const { user } = await apiRequest<LoginResponse>('POST', '/api/candidate/register', {
        ...form,
        city: city?.code,
        acceptTerms,
      });
      signedIn(user);
      navigate(`${PATHS.account}?bienvenue=1`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const cityError = errorFor(error, 'city');
  const termsError = errorFor(error, 'acceptTerms');
  return (
    <div className="account-page">
      <h1>Créer un compte candidat</h1>
      <p>
        Un compte vous permet de déposer vos CV, de suivre vos candidatures et de recevoir des alertes. Tous
        les champs sont obligatoires.
      </p>
      {hasPrefill(prefill) && (
        <div className="notice notice--info">
          <p>
            Certains champs sont déjà remplis à partir du lien que vous avez reçu : vérifiez-les et
            corrigez-les si besoin.
          </p>
          {prefill.email && (
            <p>
              Gardez l’adresse e-mail donnée au recruteur : une fois confirmée, les candidatures qu’il a
              enregistrées pour vous apparaîtront dans « Mes candidatures ».
            </p>
          )}
        </div>
      )}
      <ErrorSummary error={error} title="Votre compte n’a pas été créé" />
      <form className="form" noValidate onSubmit={(e) => void submit(e)}>
        <Field field="firstName" label="Prénom" error={error}>
          {(p) => (
            <input
              {...p}
              autoComplete="given-name"
              value={form.firstName}
              onChange={set('firstName')}
              required
            />
          )}
        </Field>
        <Field field="lastName" label="Nom" error={error}>
          {(p) => (
            <input
              {...p}
              autoComplete="family-name"
              value={form.lastName}
              onChange={set('lastName')}
              required
            />
          )}
        </Field>
        <Field
          field="email"
          label="Adresse e-mail"
          hint="Un lien de confirmation vous sera envoyé."
          error={error}
        >
          {(p) => (
            <input
              {...p}
              type="email"
              autoComplete="email"
              value={form.email}
              onChange={set('email')}
              required
            />
          )}
        </Field>
        <Field
          field="password"
          label="Mot de passe"
          hint={`Au moins ${MIN_PASSWORD_LENGTH} caractères.`}
          error={error}
        >
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="new-password"
              value={form.password}
              onChange={set('password')}
              required
            />
          )}
        </Field>
        <div className="field">
          <label htmlFor={fieldId('city')}>Ville</label>
          <p className="field__hint" id={`${fieldId('city')}-aide`}>
            Tapez le nom ou le code postal, puis choisissez dans la liste.
          </p>
          <CommuneInput
            id={fieldId('city')}
            value={city}
            onChange={(c, typed) => {
              setCity(c);
              setCityText(typed);
            }}
            invalid={!!cityError}
            describedBy={describedBy('city', true, cityError)}
          />
          <FieldError field="city" message={cityError} />
        </div>
        <div className="field">
          <div className="choice">
            <input
              type="checkbox"
              id={fieldId('acceptTerms')}
              checked={acceptTerms}
              onChange={(e) => setAcceptTerms(e.target.checked)}
              aria-invalid={termsError ? true : undefined}
              aria-describedby={describedBy('acceptTerms', false, termsError)}
            />
            <label htmlFor={fieldId('acceptTerms')}>
              J’accepte les conditions d’utilisation et le traitement de mes données pour ma recherche
              d’emploi
            </label>
          </div>
          <FieldError field="acceptTerms" message={termsError} />
        </div>
        <div className="form__actions">
          <button type="submit" className="button" disabled={busy}>
            {busy ? 'Création…' : 'Créer mon compte'}
          </button>
        </div>
      </form>
      <ul className="account-links">
        <li>
          Déjà un compte ? <Link to={PATHS.login}>Se connecter</Link>
        </li>
      </ul>
    </div>
  );
}
