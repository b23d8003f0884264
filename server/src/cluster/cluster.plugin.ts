/**
 * The node's place in the cluster, for the plugins whose jobs must run on one node at a time:
 * `fastify.leader` (leader.ts). Given by server.ts, which opens the database and so knows whether
 * there are other nodes; without one (SQLite, the tests) this process is the only node and leads.
 */
import fp from 'fastify-plugin';
import { SoloLeader, type LeaderLock } from './leader.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Ask `leader.isLeader` at each tick of a sweep or an indexer; skip the tick when false. */
    leader: LeaderLock;
  }
}

export const clusterPlugin = fp<{ leader?: LeaderLock }>(
  async (fastify, options) => {
    fastify.decorate('leader', options.leader ?? new SoloLeader());
  },
  { name: 'ezal-cluster', fastify: '5.x' },
);
