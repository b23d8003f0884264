import { defineConfig } from 'drizzle-kit';

// The PostgreSQL dialect (issue 20): `npm run db:generate:pg`. Not applied by the server yet.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema.pg.ts',
  out: './db/migrations-pg',
});
