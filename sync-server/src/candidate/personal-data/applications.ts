import type { PersonalDataStep } from './types';

export const APPLICATION_DATA: PersonalDataStep = {
  name: 'candidatures',
  async exportData() {
    return { data: null, files: [] };
  },
  async erase() {},
};
