/**
 * A private redis-server for a test: moved to server/cluster/redis.ts, where `npm run cluster` (server/cluster/start.ts)
 * starts it too; the tests keep importing it from here.
 */
export * from '../../server/cluster/redis.ts';
