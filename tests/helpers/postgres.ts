/**
 * A private PostgreSQL 15 cluster for one test file: moved to server/cluster/postgres.ts, where `npm run cluster` (server/cluster/start.ts)
 * starts it too; the tests keep importing it from here.
 */
export * from '../../server/cluster/postgres.ts';
