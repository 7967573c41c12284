/**
 * « Mes offres » for pages outside the renderer project (the offers-table benchmark,
 * scripts/bench/offers-page.ts): TypeScript project references resolve a `.ts` entry, not a `.tsx` one.
 */
export { OffersScreen } from './OffersScreen';
