/**
 * Replication batch sizes of the workstation (the benchmark uses the same). Large pull pages
 * make the initial sync of thousands of offers a few round trips; push pages of 200 keep a
 * reconnect after a day offline short while staying well under the server's 500-row limit.
 */
export const PULL_BATCH_SIZE = 1000;
export const PUSH_BATCH_SIZE = 200;
