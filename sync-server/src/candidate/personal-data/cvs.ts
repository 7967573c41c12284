import type { PersonalDataStep } from './types';

export const CV_DATA: PersonalDataStep = {
  name: 'cv',
  async exportData() {
    return { data: null, files: [] };
  },
  async erase() {},
};
