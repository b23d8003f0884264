/**
 * A private PostgreSQL 15 cluster for one test file: moved to server/cluster/postgres.ts, where `npm run cluster` (server/cluster/start.ts)
 * starts it too; the tests keep importing it from here.
 */
import { after, before } from 'node:test';
import pg from 'pg';
import { startPrivatePostgres, type PrivatePostgres } from '../../server/cluster/postgres.ts';

export * from '../../server/cluster/postgres.ts';

/** What `privatePostgresForFile` gives a test file: filled in its `before`, so read it inside the tests. */
export type PostgresForFile = {
  readonly cluster: PrivatePostgres;
  /** A small pool on the cluster's default database, for the test's own statements. */
  readonly admin: pg.Pool;
  /** Creates an empty database on the cluster; its URL. */
  createDatabase(name: string): Promise<string>;
};

/**
 * Called at the top of a test file that makes databases of its own: starts a private cluster
 * before the tests, with an admin pool on it, and stops both after them.
 */
export function privatePostgresForFile(): PostgresForFile {
  let cluster: PrivatePostgres | undefined;
  let admin: pg.Pool | undefined;
  before(async () => {
    cluster = await startPrivatePostgres();
    admin = new pg.Pool({ connectionString: cluster.url, max: 2 });
  });
  after(async () => {
    try {
      await admin?.end();
    } finally {
      cluster?.stop();
    }
  });

  const started = (): { cluster: PrivatePostgres; admin: pg.Pool } => {
    if (!cluster || !admin) throw new Error('the PostgreSQL cluster is started in `before`: use it inside a test');
    return { cluster, admin };
  };
  return {
    get cluster() {
      return started().cluster;
    },
    get admin() {
      return started().admin;
    },
    async createDatabase(name) {
      const { cluster, admin } = started();
      await admin.query(`create database ${name}`);
      const url = new URL(cluster.url);
      url.pathname = `/${name}`;
      return url.href;
    },
  };
}

/** One query on a connection of its own to `url`: its rows. */
export async function queryOnce<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}
