/**
 * The case file as the court has it:
 *   GET /api/cases/:id/inventory                    the inventory (опись) per volume, as JSON;
 *   GET /api/cases/:id/documents/:docId/content     the file, with HTTP range requests (pdf.js asks for ranges);
 *   GET /api/cases/:id/verification                 every stored file checked again against its hash and signatures.
 * Only users with access to the case; every refusal is audited by the cases service.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { userOf } from '../auth/auth.plugin.ts';
import type { CasesService } from '../cases/cases.service.ts';
import { AppError } from '../http/errors.ts';
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

  const access = (request: FastifyRequest, caseId: string, action: string) => cases.requireAccess(userOf(request), caseId, action, request.ip);

  app.get('/api/cases/:id/inventory', { schema: { params: caseParams } }, async (request) => {
    const { id } = request.params as { id: string };
    access(request, id, 'case.inventory');
    return inventoryOf(intake.repository, id);
  });

  app.get('/api/cases/:id/documents/:docId/content', { schema: { params: documentParams } }, async (request, reply) => {
    const { id, docId } = request.params as { id: string; docId: string };
    access(request, id, 'document.read');
    const document = intake.repository.document(id, docId);
    if (!document) throw new AppError('not_found', 'No such document in this case');
    const user = userOf(request);
    // Range requests for one document come in dozens; one audit line per full or first-range read.
    const range = request.headers.range;
    if (!range || range.startsWith('bytes=0-')) {
      audit.record({ userId: user.id, actor: user.username, action: 'document.read', outcome: 'allowed', caseId: id, target: docId, ip: request.ip });
    }
    reply.header('content-disposition', `inline; filename="${document.sourceId}${extensionOf(document.fileName)}"`);
    return sendDocument(request, reply, intake, document, 'private, no-cache');
  });

  app.get('/api/cases/:id/verification', { schema: { params: caseParams } }, async (request) => {
    const { id } = request.params as { id: string };
    access(request, id, 'case.verify');
    return verifyCaseFiles(intake, id, new Date());
  });
}

function extensionOf(fileName: string): string {
  const match = /\.[A-Za-z0-9]{1,8}$/.exec(fileName);
  return match ? match[0] : '';
}
