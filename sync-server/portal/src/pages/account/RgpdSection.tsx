/** « Mes données personnelles » in the account settings: export and deletion (RGPD). */
export function RgpdSection() {
  return null;
}
