/**
 * The rules of SPEC section 2 beyond the schema: format version, identifiers, IINs, roles, kinds,
 * types, the fields each kind of document needs, and references between parts of the manifest.
 */
import { isValidIin } from './iin.ts';
import { asArray, asObject, asString, isPaged, type ManifestView } from './manifest-view.ts';
import { pointer, problem } from './problems.ts';
import type { Problem } from './types.ts';
import { DOCUMENT_TYPES } from '../../shared/api/ecases.ts';

export const PARTICIPANT_ROLES = [
  'accused',
  'defender',
  'victim',
  'victim_representative',
  'civil_plaintiff',
  'civil_defendant',
  'legal_representative',
  'witness',
  'expert',
  'specialist',
  'interpreter',
  'prosecutor',
] as const;

export const DOCUMENT_KINDS = ['pdf', 'electronic', 'media'] as const;

const PAGED_FIELDS = ['file', 'sha256', 'pages', 'sheetFrom', 'sheetTo'] as const;
const MEDIA_FIELDS = ['file', 'sha256', 'mimeType'] as const;
const SHEET_FIELDS = ['pages', 'sheetFrom', 'sheetTo'] as const;

/**
 * `erdr-ecase` with major version 1. When this fails nothing else is checked: the rest of a
 * manifest in a format we do not know would only produce noise.
 */
export function checkFormat(raw: unknown): Problem[] {
  const m = asObject(raw);
  const problems: Problem[] = [];
  if (m.format !== 'erdr-ecase') {
    problems.push(problem('format_unsupported', '/format', `format must be "erdr-ecase", got ${JSON.stringify(m.format)}`));
  }
  const version = asString(m.formatVersion);
  const match = version === undefined ? null : /^(\d+)\.(\d+)$/.exec(version);
  if (!match || Number(match[1]) !== 1) {
    problems.push(problem('format_unsupported', '/formatVersion', `formatVersion must be 1.x, got ${JSON.stringify(m.formatVersion)}`));
  }
  return problems;
}

export function checkManifestRules(raw: unknown, view: ManifestView): Problem[] {
  return [...checkIdentifiers(raw), ...checkIins(raw, ''), ...checkParticipants(raw), ...checkDocuments(view), ...checkIndictment(raw, view)];
}

function checkIdentifiers(raw: unknown): Problem[] {
  const erdr = asObject(asObject(raw).case).erdrNumber;
  if (typeof erdr === 'string' && !/^\d{15}$/.test(erdr)) {
    return [problem('erdr_number_invalid', '/case/erdrNumber', `the ERDR number must be exactly 15 digits, got "${erdr}"`)];
  }
  return [];
}

/** "iin (everywhere)": every property named iin, including in fields a later minor version adds. */
function checkIins(value: unknown, at: string): Problem[] {
  if (value === null || typeof value !== 'object') return [];
  const problems: Problem[] = [];
  for (const [key, child] of Object.entries(value)) {
    const childAt = at + pointer(key);
    if (key === 'iin' && !Array.isArray(value) && child !== undefined) {
      if (typeof child !== 'string' || !isValidIin(child)) {
        problems.push(problem('iin_invalid', childAt, `not a valid IIN (12 digits with a correct check digit): ${JSON.stringify(child)}`));
      }
    } else {
      problems.push(...checkIins(child, childAt));
    }
  }
  return problems;
}

function checkParticipants(raw: unknown): Problem[] {
  const problems: Problem[] = [];
  const participants = asArray(asObject(raw).participants).map(asObject);
  const ids = new Set<string>();
  participants.forEach((p, i) => {
    const id = asString(p.id);
    if (id !== undefined) {
      if (ids.has(id)) problems.push(problem('duplicate_id', pointer('participants', i, 'id'), `participant id "${id}" is used more than once`));
      ids.add(id);
    }
    const role = asString(p.role);
    if (role !== undefined && !(PARTICIPANT_ROLES as readonly string[]).includes(role)) {
      problems.push(problem('participant_role_unknown', pointer('participants', i, 'role'), `unknown participant role "${role}"`));
    }
  });
  participants.forEach((p, i) => {
    asArray(p.representedBy).forEach((ref, k) => {
      if (typeof ref === 'string' && !ids.has(ref)) {
        problems.push(problem('reference_unknown', pointer('participants', i, 'representedBy', k), `representedBy names no participant: "${ref}"`));
      }
    });
  });
  if (participants.length > 0 && !participants.some((p) => p.role === 'accused')) {
    problems.push(problem('accused_missing', '/participants', 'at least one participant must have the role "accused"'));
  }
  return problems;
}

function checkDocuments(view: ManifestView): Problem[] {
  const problems: Problem[] = [];
  const byId = new Map<string, (typeof view.documents)[number]>();
  for (const doc of view.documents) {
    if (doc.id !== undefined) {
      if (byId.has(doc.id)) problems.push(problem('duplicate_id', `${doc.pointer}/id`, `document id "${doc.id}" is used more than once`));
      else byId.set(doc.id, doc);
    }
    if (doc.kind !== undefined && !(DOCUMENT_KINDS as readonly string[]).includes(doc.kind)) {
      problems.push(problem('document_kind_unknown', `${doc.pointer}/kind`, `unknown document kind "${doc.kind}"`));
    }
    if (doc.type !== undefined && !(DOCUMENT_TYPES as readonly string[]).includes(doc.type)) {
      problems.push(problem('document_type_unknown', `${doc.pointer}/type`, `unknown document type "${doc.type}"`));
    }
    const required = isPaged(doc) ? PAGED_FIELDS : doc.kind === 'media' ? MEDIA_FIELDS : [];
    for (const field of required) {
      if (!doc.present.has(field)) {
        problems.push(problem('document_field_missing', `${doc.pointer}/${field}`, `a ${doc.kind} document needs "${field}"`));
      }
    }
    if (doc.kind === 'media') {
      for (const field of SHEET_FIELDS) {
        if (doc.present.has(field)) problems.push(problem('media_has_sheets', `${doc.pointer}/${field}`, `a media document occupies no sheets and has no "${field}"`));
      }
    }
  }
  for (const doc of view.documents) {
    if (doc.kind !== 'media' || doc.attachedTo === undefined) continue;
    const target = byId.get(doc.attachedTo);
    if (!target) {
      problems.push(problem('reference_unknown', `${doc.pointer}/attachedTo`, `attachedTo names no document: "${doc.attachedTo}"`));
    } else if (!isPaged(target)) {
      problems.push(problem('reference_wrong_kind', `${doc.pointer}/attachedTo`, `attachedTo must name a pdf or electronic document; "${doc.attachedTo}" is ${target.kind}`));
    }
  }
  return problems;
}

function checkIndictment(raw: unknown, view: ManifestView): Problem[] {
  const id = asString(asObject(raw).indictmentDocumentId);
  if (id === undefined) return [];
  const doc = view.documents.find((d) => d.id === id);
  if (!doc) return [problem('indictment_missing', '/indictmentDocumentId', `indictmentDocumentId names no document: "${id}"`)];
  if (doc.type !== 'indictment') {
    return [problem('indictment_wrong_type', '/indictmentDocumentId', `document "${id}" has type "${doc.type}", not "indictment"`)];
  }
  return [];
}
