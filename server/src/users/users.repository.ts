import { eq } from 'drizzle-orm';
import { courts, userRoles, users, type Locale, type StaffRole } from '../../../db/schema.ts';
import type { Db } from '../../../db/client.ts';
import type { CourtInfo } from '../shared/api/auth.ts';

export type UserRecord = {
  id: string;
  username: string;
  passwordHash: string;
  fullName: string;
  locale: Locale;
  courtId: string | null;
  active: boolean;
  roles: StaffRole[];
};

export class UsersRepository {
  #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  findByUsername(username: string): UserRecord | undefined {
    const row = this.#db.select().from(users).where(eq(users.username, username)).get();
    return row && this.#withRoles(row);
  }

  findById(id: string): UserRecord | undefined {
    const row = this.#db.select().from(users).where(eq(users.id, id)).get();
    return row && this.#withRoles(row);
  }

  setLocale(id: string, locale: Locale): void {
    this.#db.update(users).set({ locale }).where(eq(users.id, id)).run();
  }

  court(id: string): CourtInfo | undefined {
    const row = this.#db.select().from(courts).where(eq(courts.id, id)).get();
    return row && { id: row.id, code: row.code, name: { kk: row.nameKk, ru: row.nameRu, en: row.nameEn }, timezone: row.timezone };
  }

  #withRoles(row: typeof users.$inferSelect): UserRecord {
    const roles = this.#db.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, row.id)).all();
    return {
      id: row.id,
      username: row.username,
      passwordHash: row.passwordHash,
      fullName: row.fullName,
      locale: row.locale,
      courtId: row.courtId,
      active: row.active,
      roles: roles.map((r) => r.role),
    };
  }
}
