import { ALERT_DATA } from './alerts';
import { APPLICATION_DATA } from './applications';
import { CV_DATA } from './cvs';
import { FOLDER_DATA } from './folders';
import { MESSAGE_DATA } from './messages';
import { PROFILE_DATA } from './profile';
import { SPOUSE_SEARCH_DATA } from './spouse-searches';
import type { PersonalDataStep } from './types';

/**
 * Every area's personal data; erased in this order (the profile and account last). Spouse searches
 * first: they need the applications to still say whose they are.
 */
export const PERSONAL_DATA_STEPS: PersonalDataStep[] = [
  SPOUSE_SEARCH_DATA,
  APPLICATION_DATA,
  MESSAGE_DATA,
  ALERT_DATA,
  FOLDER_DATA,
  CV_DATA,
  PROFILE_DATA,
];
