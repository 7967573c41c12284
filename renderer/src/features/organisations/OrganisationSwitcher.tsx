import type { Membership } from '../../../../shared/domain/account';
import { membershipLabel } from './organisation-form';
import './organisations.css';

interface Props {
  memberships: Membership[];
  currentId: string | null;
  onSwitch: (organisationId: string) => void;
}

/**
 * The current organisation, and a one-click switch to any other one the user belongs to (seed 003
 * « changer de structure »): every list then follows the current organisation.
 */
export function OrganisationSwitcher({ memberships, currentId, onSwitch }: Props) {
  if (memberships.length === 0) return null;
  if (memberships.length === 1) {
    const m = memberships[0]!;
    return (
      <div className="org-switcher org-switcher--single" data-testid="org-switcher">
        <p className="org-switcher__name">{m.organisationName}</p>
        <p className="org-switcher__meta">{membershipLabel(m)}</p>
      </div>
    );
  }
  return (
    <fieldset className="org-switcher" data-testid="org-switcher">
      <legend className="org-switcher__title">Mes organisations</legend>
      <ul>
        {memberships.map((m) => {
          const current = m.organisationId === currentId;
          return (
            <li key={m.organisationId}>
              <button
                type="button"
                className={`org-switcher__item${current ? ' is-current' : ''}`}
                aria-pressed={current}
                onClick={() => {
                  if (!current) onSwitch(m.organisationId);
                }}
              >
                <span className="org-switcher__name">{m.organisationName}</span>
                <span className="org-switcher__meta">{membershipLabel(m)}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}
