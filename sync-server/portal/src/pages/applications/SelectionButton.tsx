/** « Ajouter à ma sélection » on an offer (seed 000/002 offer binder). */
export function SelectionButton(_props: { offerId: string }) {
  return null;
}
