/**
 * What the motions' tests and benchmark need: a PKI of their own (a CA the court trusts, written
 * where ECASE_TRUST_ROOTS can name it; a rogue CA; the demo lawyers' key files, an expired one and
 * an untrusted one), and filing a motion as the web app does — draft, sign in "the browser" with
 * the very signing module the web app runs, then send.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { signDetached } from '../../apps/web/src/lib/signing/sign-detached.ts';
import { issuePerson, makeCa, makeKeyFile, toPem } from '../../server/src/signatures/key-files.ts';
import type { ApiClient } from './server.ts';

export const KEY_PASSWORD = 'test-pass';
const DAY = 86_400_000;
/** The demo users' IINs (db/demo.ts). */
export const IIN = { prosecutor: '850412300125', defender: '820919300341', defendant: '990314300234', victim: '870625400345' };

export type MotionPki = {
  rootFile: string;
  prosecutor: Uint8Array;
  defender: Uint8Array;
  defenderExpired: Uint8Array;
  defenderUntrusted: Uint8Array;
  /** The demo case's defendant and victim (parties who are people). */
  defendant: Uint8Array;
  victim: Uint8Array;
};

/** Key files are made with few PBKDF2 iterations: the tests are about the checks, not the cost. */
export async function makeMotionPki(dir: string): Promise<MotionPki> {
  const root = await makeCa('Test Court Root');
  const rogue = await makeCa('Rogue Root');
  const key = async (issuer: typeof root, iin: string, dates: { notBefore?: Date; notAfter?: Date } = {}) =>
    makeKeyFile(await issuePerson(issuer, { fullName: `Test ${iin}`, iin, ...dates }), KEY_PASSWORD, { iterations: 1000 });
  const rootFile = path.join(dir, 'court-root.pem');
  fs.writeFileSync(rootFile, toPem(root.cert));
  return {
    rootFile,
    prosecutor: await key(root, IIN.prosecutor),
    defender: await key(root, IIN.defender),
    defenderExpired: await key(root, IIN.defender, { notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - DAY) }),
    defenderUntrusted: await key(rogue, IIN.defender),
    defendant: await key(root, IIN.defendant),
    victim: await key(root, IIN.victim),
  };
}

export type MotionInput = {
  hearingId: string | null;
  kind: 'motion' | 'recusal' | 'objection' | 'statement';
  subtype?: 'remote_participation' | null;
  text: string;
  refs?: { documentId: string; sheet: number | null }[];
  attachments?: { fileName: string; content: Buffer }[];
};

export type FileOptions = {
  /** Sign this text instead of the canonical one (a signature over something else). */
  signInstead?: string;
  /** Skip the browser's own validity check (to show the server refuses an expired certificate too). */
  now?: Date;
};

/**
 * As `fileMotion`, for a remote participant: `api` holds the participant cookie (/join page), the
 * motion goes to the hearing of that session.
 */
export async function fileRemoteMotion(api: ApiClient, input: Omit<MotionInput, 'hearingId'>, p12: Uint8Array) {
  const attachments = input.attachments ?? [];
  const draftBody = { kind: input.kind, subtype: input.subtype ?? null, text: input.text, refs: input.refs ?? [] };
  const draft = await api.post('/api/join/motions/draft', {
    ...draftBody,
    attachments: attachments.map((a) => ({ fileName: a.fileName, sha256: createHash('sha256').update(a.content).digest('hex'), size: a.content.length })),
  });
  if (draft.status !== 200) return draft;
  const signed = await signDetached(p12, KEY_PASSWORD, Buffer.from(draft.body.canonical, 'utf8'));
  return api.post('/api/join/motions', {
    ...draftBody,
    attachments: attachments.map((a) => ({ fileName: a.fileName, contentBase64: a.content.toString('base64') })),
    signature: Buffer.from(signed).toString('base64'),
  });
}

/** Drafts, signs with `p12` and files; returns the HTTP answer of the filing. */
export async function fileMotion(api: ApiClient, caseId: string, input: MotionInput, p12: Uint8Array, options: FileOptions = {}) {
  const attachments = input.attachments ?? [];
  const draftBody = {
    hearingId: input.hearingId,
    kind: input.kind,
    subtype: input.subtype ?? null,
    text: input.text,
    refs: input.refs ?? [],
  };
  const draft = await api.post(`/api/cases/${caseId}/motions/draft`, {
    ...draftBody,
    attachments: attachments.map((a) => ({ fileName: a.fileName, sha256: createHash('sha256').update(a.content).digest('hex'), size: a.content.length })),
  });
  if (draft.status !== 200) return draft;
  const signed = await signDetached(p12, KEY_PASSWORD, Buffer.from(options.signInstead ?? draft.body.canonical, 'utf8'), { now: options.now });
  return api.post(`/api/cases/${caseId}/motions`, {
    ...draftBody,
    attachments: attachments.map((a) => ({ fileName: a.fileName, contentBase64: a.content.toString('base64') })),
    signature: Buffer.from(signed).toString('base64'),
  });
}

/** A small PDF with one page of text. */
export async function smallPdf(text = 'Attachment'): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595, 842]).drawText(text, { x: 50, y: 780, size: 14, font });
  return Buffer.from(await doc.save());
}
