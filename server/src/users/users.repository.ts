/** Accounts and their courts, on either dialect (db/database.ts). */
import { asc, eq } from 'drizzle-orm';
import type { Tables } from '../../../db/database.ts';
import { Repository } from '../../../db/repository.ts';
import type { Locale, StaffRole } from '../../../db/schema.ts';
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

export class UsersRepository extends Repository {
  async findByUsername(username: string): Promise<UserRecord | undefined> {
    const { users } = this.tables;
    const [row] = await this.db.select().from(users).where(eq(users.username, username));
    return row && this.#withRoles(row);
  }

  async findById(id: string): Promise<UserRecord | undefined> {
    const { users } = this.tables;
    const [row] = await this.db.select().from(users).where(eq(users.id, id));
    return row && this.#withRoles(row);
  }

  async setLocale(id: string, locale: Locale): Promise<void> {
    const { users } = this.tables;
    await this.database.transaction(async () => {
      await this.db.update(users).set({ locale }).where(eq(users.id, id));
    });
  }

  async court(id: string): Promise<CourtInfo | undefined> {
    const { courts } = this.tables;
    const [row] = await this.db.select().from(courts).where(eq(courts.id, id));
    return row && { id: row.id, code: row.code, name: { kk: row.nameKk, ru: row.nameRu, en: row.nameEn }, timezone: row.timezone };
  }

  async #withRoles(row: Tables['users']['$inferSelect']): Promise<UserRecord> {
    const { userRoles } = this.tables;
    const roles = await this.db.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, row.id)).orderBy(asc(userRoles.role));
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
