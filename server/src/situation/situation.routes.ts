/**
 * The situation centre:
 *   GET /api/situation?courtId=&at=            the dashboard (chair and office: own court; admin: any or all);
 *   GET /api/situation/cases?figure=…          the cases behind a figure (same filters), page by page;
 *   GET /api/situation/cases.csv?figure=…&lang the same list as CSV (UTF-8 with BOM, kk/ru headers; values in
 *                                              `lang` or the user's language, dates on the court's clock).
 * `at` (ISO date-time) asks for the figures as of another moment; it defaults to now.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { userOf } from '../auth/auth.plugin.ts';
import { LOCALES } from '../../../db/schema.ts';
import { toCsv } from './csv.ts';
import { situationCsvRow } from './situation-csv.ts';
import { DEADLINE_RULE_IDS, FIGURES } from '../shared/api/situation.ts';
import type { SituationService } from './situation.service.ts';

const id = Type.String({ minLength: 1, maxLength: 64 });
const at = Type.String({ format: 'date-time', maxLength: 40 });
const scope = { courtId: Type.Optional(id), at: Type.Optional(at) };
const drill = {
  ...scope,
  figure: Type.Enum(FIGURES),
  rule: Type.Optional(Type.Enum(DEADLINE_RULE_IDS)),
  judgeId: Type.Optional(id),
  category: Type.Optional(Type.Enum(['crime', 'misdemeanor'])),
};

const CSV_HEADER = [
  'Іс нөмірі / Номер дела',
  'Санаты / Категория',
  'Мәртебесі / Статус',
  'Келіп түсті / Поступило',
  'Тоқтатылды / Приостановлено',
  'Судья / Судья',
  'Мерзім / Срок',
  'Мерзімнің соңғы күні / Последний день срока',
];

export const situationRoutes: FastifyPluginAsyncTypebox<{ situation: SituationService }> = async (app, { situation }) => {
  app.addHook('onRequest', app.requireUser);

  app.get('/api/situation', { schema: { querystring: Type.Object(scope, { additionalProperties: false }) } }, async (request) => situation.dashboard(userOf(request), request.query, request.ip));

  app.get(
    '/api/situation/cases',
    {
      schema: {
        querystring: Type.Object(
          { ...drill, limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }), offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => situation.cases(userOf(request), request.query, request.ip),
  );

  // Values in the requester's language (`lang`, else their account's), dates on the court's clock.
  const csvQuery = Type.Object({ ...drill, lang: Type.Optional(Type.Enum(LOCALES)) }, { additionalProperties: false });
  app.get('/api/situation/cases.csv', { schema: { querystring: csvQuery } }, async (request, reply) => {
    const user = userOf(request);
    const { lang, ...query } = request.query;
    const cases = await situation.exportCases(user, { ...query, limit: 100_000, offset: 0 }, request.ip);
    const csv = toCsv(
      CSV_HEADER,
      cases.map((c) => situationCsvRow(c, lang ?? user.locale, situation.rules)),
    );
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="situation-${request.query.figure}.csv"`).send(csv);
  });
};
