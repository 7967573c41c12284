/** The CVthèque on the server (issue 5): search, replication scopes, routes. */
export { cvAudienceKeys, cvAudienceKeysMany } from './audience';
export { registerCvthequeRoutes } from './routes';
export {
  cvthequeMembershipEntry,
  cvthequeMembershipExit,
  cvthequeScopeJob,
  prepareCvtheque,
  recomputeOrganisationScope,
  recomputeScopes,
  refreshCvKeys,
} from './scope';
export { searchCvtheque } from './search';
export { ensureCvSearchIndex } from './search-index';
