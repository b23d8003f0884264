/**
 * The case file as the court has it:
 *   GET /api/cases/:id/inventory                    the inventory (опись) per volume, as JSON;
 *   GET /api/cases/:id/documents/:docId/content     the file, with HTTP range requests (pdf.js asks for ranges);
 *   GET /api/cases/:id/verification                 every stored file checked again against its hash and signatures.
 * Only users with access to the case; every refusal is audited by the cases service. A hall's wall
 * screen reads the inventory's layout and the document on screen, while it is (cases/wall-screen.ts).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { userOf } from '../auth/auth.plugin.ts';
import type { CasesService } from '../cases/cases.service.ts';
import { isWallScreen, screenInventory } from '../cases/wall-screen.ts';
import { AppError } from '../shared/errors.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { Intake } from './intake.setup.ts';
import { inventoryOf } from './inventory.ts';
import { sendDocument } from './send-document.ts';
import { verifyCaseFiles } from './verification.ts';

type Options = { intake: Intake; cases: CasesService; audit: AuditRepository };

const caseParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const documentParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), docId: Type.String({ minLength: 1, maxLength: 64 }) });

export async function caseFileRoutes(app: FastifyInstance, { intake, cases, audit }: Options): Promise<void> {
  app.addHook('onRequest', app.requireUser);

  const access = (request: FastifyRequest, caseId: string, action: string, target?: { documentId: string }) => cases.requireAccess(userOf(request), caseId, action, request.ip, target);

  app.get('/api/cases/:id/inventory', { schema: { params: caseParams } }, async (request) => {
    const { id } = request.params as { id: string };
    await access(request, id, 'case.inventory');
    const inventory = await inventoryOf(intake.repository, id);
    // The wall screen gets the sheet layout it places the shown page with, no more (cases/wall-screen.ts).
    return isWallScreen(userOf(request)) ? screenInventory(inventory) : inventory;
  });

  app.get('/api/cases/:id/documents/:docId/content', { schema: { params: documentParams } }, async (request, reply) => {
    const { id, docId } = request.params as { id: string; docId: string };
    await access(request, id, 'document.read', { documentId: docId });
    const document = await intake.repository.document(id, docId);
    if (!document) throw new AppError('not_found', 'No such document in this case');
    const user = userOf(request);
    // Range requests for one document come in dozens; one audit line per full or first-range read.
    const range = request.headers.range;
    if (!range || range.startsWith('bytes=0-')) {
      await audit.record({ userId: user.id, actor: user.username, action: 'document.read', outcome: 'allowed', caseId: id, target: docId, ip: request.ip });
    }
    reply.header('content-disposition', `inline; filename="${document.sourceId}${extensionOf(document.fileName)}"`);
    return sendDocument(request, reply, intake, document, 'private, no-cache');
  });

  app.get('/api/cases/:id/verification', { schema: { params: caseParams } }, async (request) => {
    const { id } = request.params as { id: string };
    await access(request, id, 'case.verify');
    return verifyCaseFiles(intake, id, new Date());
  });
}

function extensionOf(fileName: string): string {
  const match = /\.[A-Za-z0-9]{1,8}$/.exec(fileName);
  return match ? match[0] : '';
}
