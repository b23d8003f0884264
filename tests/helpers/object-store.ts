/**
 * A private S3-compatible object store for one test file: moved to server/cluster/object-store.ts, where `npm run cluster` (server/cluster/start.ts)
 * starts it too; the tests keep importing it from here.
 */
export * from '../../server/cluster/object-store.ts';
