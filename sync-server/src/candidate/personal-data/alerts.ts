import type { PersonalDataStep } from './types';

export const ALERT_DATA: PersonalDataStep = {
  name: 'alertes',
  async exportData() {
    return { data: null, files: [] };
  },
  async erase() {},
};
