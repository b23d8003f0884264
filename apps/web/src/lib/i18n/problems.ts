/**
 * A package problem as a court clerk reads it: what is wrong (translated from its code), and
 * where, in words: "/volumes/1/documents/0/sheetFrom" becomes "Том 2, документ 1 — первый лист".
 * The raw path stays available as a secondary line for whoever fixes the package in ERDR.
 *
 * Every function reads the current language, so calling them inside `$derived` or markup keeps
 * them in step with the language switch.
 */
import type { Problem } from '../types.ts';
import { i18n, type MessageKey } from './i18n.svelte.ts';
import { PROBLEM_TEXTS } from './problem-texts.ts';

export type ProblemView = {
  code: string;
  /** The translation; for a code this build does not know, the server's English message. */
  text: string;
  /** False when `text` is the server's English message (the page marks it lang="en"). */
  known: boolean;
  /** "Том 2, документ 1 — первый лист" */
  place: string;
  /** The path as the server gave it. */
  path: string;
  /** The server's message, with the concrete values (hashes, page counts) ERDR needs. */
  message: string;
};

export type ProblemGroup = { key: string; title: string; problems: ProblemView[] };

/** Manifest fields with a name in the dictionaries; others are shown as they are spelt in the manifest. */
const FIELDS = [
  'sheetFrom',
  'sheetTo',
  'pages',
  'sheets',
  'sha256',
  'file',
  'signatures',
  'iin',
  'id',
  'kind',
  'type',
  'title',
  'date',
  'author',
  'mimeType',
  'durationSec',
  'attachedTo',
  'number',
  'documents',
  'representedBy',
  'role',
  'fullName',
  'birthDate',
  'erdrNumber',
  'registeredAt',
  'language',
  'category',
  'qualification',
  'officer',
  'organ',
  'code',
  'format',
  'formatVersion',
  'packageId',
  'createdAt',
  'indictmentDocumentId',
] as const;
type Field = (typeof FIELDS)[number];
const FIELD_SET = new Set<string>(FIELDS);

function fieldLabel(name: string): string {
  if (!FIELD_SET.has(name)) return name;
  const key: MessageKey = `field.${name as Field}`;
  return i18n.t(key);
}

const MANIFEST = 'manifest.json';
const MANIFEST_SIGNATURE = 'manifest.json.p7s';

/** The translated text of a problem code, or null for a code this build does not know. */
export function problemCodeText(code: string): string | null {
  const texts: Record<string, string> = PROBLEM_TEXTS[i18n.locale];
  return Object.hasOwn(texts, code) ? texts[code] : null;
}

type Located = { group: string; order: number; groupTitle: string; place: string };

/** Where a problem is: its group (archive, description, participants, a volume…) and its place in words. */
export function locate(path: string): Located {
  const archive = { group: 'archive', order: 0, groupTitle: i18n.t('problem_group.archive') };
  const manifest = { group: 'manifest', order: 1, groupTitle: i18n.t('problem_group.manifest') };

  if (path === '') return { ...archive, place: i18n.t('problem_place.package') };
  if (!path.startsWith('/')) {
    // An archive entry's name.
    if (path === MANIFEST) return { ...manifest, place: i18n.t('problem_place.manifest_file') };
    if (path === MANIFEST_SIGNATURE) return { ...archive, place: i18n.t('problem_place.manifest_signature') };
    return { ...archive, place: i18n.t('problem_place.entry', { name: path }) };
  }

  const segments = path
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
  const index = (s: string | undefined) => (s !== undefined && /^\d+$/.test(s) ? Number(s) : null);
  const [head] = segments;
  const at = (base: Omit<Located, 'place'>, place: string, rest: string[]): Located => ({ ...base, place: withFields(place, rest) });

  if (head === 'volumes') {
    const v = index(segments[1]);
    if (v === null) return at(manifest, i18n.t('problem_place.manifest'), segments);
    const volume = { group: `volume:${v + 1}`, order: 10 + v, groupTitle: i18n.t('problem_group.volume', { n: v + 1 }) };
    const d = segments[2] === 'documents' ? index(segments[3]) : null;
    if (d !== null) return at(volume, i18n.t('problem_place.document', { volume: v + 1, n: d + 1 }), segments.slice(4));
    return at(volume, i18n.t('problem_place.volume', { n: v + 1 }), segments.slice(2));
  }
  if (head === 'participants') {
    const participants = { group: 'participants', order: 2, groupTitle: i18n.t('problem_group.participants') };
    const p = index(segments[1]);
    if (p === null) return at(participants, i18n.t('problem_place.participants'), segments.slice(1));
    return at(participants, i18n.t('problem_place.participant', { n: p + 1 }), segments.slice(2));
  }
  if (head === 'materialEvidence') {
    const evidence = { group: 'evidence', order: 1_000_000, groupTitle: i18n.t('problem_group.evidence') };
    const e = index(segments[1]);
    if (e === null) return at(evidence, i18n.t('problem_group.evidence'), segments.slice(1));
    return at(evidence, i18n.t('problem_place.evidence', { n: e + 1 }), segments.slice(2));
  }
  if (head === 'case') return at(manifest, i18n.t('problem_place.case'), segments.slice(1));
  if (head === 'sender') return at(manifest, i18n.t('problem_place.sender'), segments.slice(1));
  if (head === 'recipientCourt') return at(manifest, i18n.t('problem_place.court'), segments.slice(1));
  return at(manifest, i18n.t('problem_place.manifest'), segments);
}

/** "Участник 1" + ["representedBy", "0"] → "Участник 1 — представители 1". */
function withFields(place: string, rest: string[]): string {
  const parts: string[] = [];
  for (const segment of rest) {
    if (/^\d+$/.test(segment)) {
      const n = String(Number(segment) + 1);
      if (parts.length > 0) parts[parts.length - 1] += ` ${n}`;
      else parts.push(i18n.t('problem_place.item', { n }));
    } else {
      parts.push(fieldLabel(segment));
    }
  }
  return parts.length > 0 ? `${place} — ${parts.join(' › ')}` : place;
}

export function viewProblem(problem: Problem): ProblemView {
  const text = problemCodeText(problem.code);
  return {
    code: problem.code,
    text: text ?? problem.message,
    known: text !== null,
    place: locate(problem.path).place,
    path: problem.path,
    message: problem.message,
  };
}

/**
 * Problems grouped by where they are, in the order a clerk checks a case file: the archive, the
 * description and case details, the participants, each volume in turn, the material evidence.
 * Within a group the server's order is kept (it follows the package).
 */
export function groupProblems(problems: readonly Problem[]): ProblemGroup[] {
  const groups = new Map<string, ProblemGroup & { order: number }>();
  for (const problem of problems) {
    const where = locate(problem.path);
    let group = groups.get(where.group);
    if (!group) {
      group = { key: where.group, title: where.groupTitle, order: where.order, problems: [] };
      groups.set(where.group, group);
    }
    group.problems.push(viewProblem(problem));
  }
  return [...groups.values()].sort((a, b) => a.order - b.order).map(({ key, title, problems }) => ({ key, title, problems }));
}
