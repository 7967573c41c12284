import type { PersonalDataStep } from './types';

export const PROFILE_DATA: PersonalDataStep = {
  name: 'profil',
  async exportData() {
    return { data: null, files: [] };
  },
  async erase() {},
};
