/**
 * What a hall's wall screen (a `hall_display` account, demo `hall1`) may read: the screen, and
 * nothing else. The room sees what the presenter shows, while it is shown; the screen's account
 * is a machine on a wall, logged in all day, so it must not be a way into the case file.
 *
 * It may: follow the hearing held in its hall (the live state and the media go over socket.io,
 * hearings/hearing-access.ts gives it its seat); list its hall's hearings (its idle screen);
 * while a hearing of the case sits in its hall, read the case's inventory reduced to the sheet
 * layout the viewer needs to place the shown page (`screenInventory`), and the bytes of the one
 * document on screen now. Everything else — the case page, the motions register and its PDF,
 * motion attachments, search, verification, judicial acts, notes, the protocol in any format,
 * the recording, other documents, and anything at all once the hearing is over — is refused
 * (`forbidden`) and audited with `reason: 'wall_screen'`.
 *
 * `displayMayRead` is the rule; the cases service asks it for every case action, the protocol
 * and recording access ask `isWallScreen` (they have nothing the screen may read).
 */
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { SessionUser } from '../auth/auth.service.ts';
import { AppError } from '../shared/errors.ts';
import type { Inventory } from '../shared/api/ecases.ts';

/** The hearing of the case sitting (in session or on a break) in the screen's hall, if any. */
export type ScreenSight = { hearingId: string; shownDocumentId: string | null } | null;

/** A read the screen asks for: the audited action name, and the document for `document.read`. */
export type ScreenRead = { action: string; documentId?: string };

export function isWallScreen(user: Pick<SessionUser, 'roles'>): boolean {
  return user.roles.includes('hall_display');
}

export function displayMayRead(sight: ScreenSight, what: ScreenRead): boolean {
  if (!sight) return false;
  switch (what.action) {
    // The viewer maps the shown position to a sheet with it; the screen asks once when the sitting opens.
    case 'case.inventory':
      return true;
    case 'document.read':
      return what.documentId !== undefined && what.documentId === sight.shownDocumentId;
    default:
      return false;
  }
}

/** Audits the refusal like every other and throws `forbidden`. */
export async function refuseWallScreen(audit: AuditRepository, user: SessionUser, entry: { action: string; caseId: string | null; target?: string | null; ip: string | null }): Promise<never> {
  await audit.record({
    userId: user.id,
    actor: user.username,
    action: entry.action,
    outcome: 'denied',
    caseId: entry.caseId,
    target: entry.target ?? null,
    ip: entry.ip,
    details: { reason: 'wall_screen' },
  });
  throw new AppError('forbidden', 'The wall screen shows the presented page only');
}

/**
 * The inventory as the screen gets it: volumes and documents with their sheets and titles (the
 * screen names the shown document), without authors, dates, hashes, signatures, the package's
 * signer or the material evidence.
 */
export function screenInventory(inventory: Inventory): Inventory {
  return {
    caseId: inventory.caseId,
    package: null,
    materialEvidence: [],
    volumes: inventory.volumes.map((v) => ({
      ...v,
      documents: v.documents.map((d) => ({ ...d, date: null, author: null, sha256: '', size: 0, signatures: [] })),
    })),
  };
}
