/**
 * Filing a motion from the browser (docs/motions.md): hash the attachments here, ask the server
 * for the canonical text of the draft, sign its UTF-8 bytes with the filer's key (in this page),
 * and send the motion, its attachments and the detached signature. The server rebuilds the same
 * canonical bytes from what it receives and verifies the signature over them.
 */
import { draftMotion, draftRemoteMotion, fileMotion, fileRemoteMotion, type MotionDraftInput, type MotionReceipt } from '../api.ts';

/**
 * `caseId`: a user's filing in that case; `remote`: a remote participant's, in the hearing of their
 * participant session (the /join page), where the server knows the case and the hearing.
 */
export async function fileSignedMotion(input: {
  to: { caseId: string } | { remote: true };
  draft: Omit<MotionDraftInput, 'hearingId'> & { hearingId?: string | null };
  files: File[];
  sign: (content: Uint8Array) => Promise<Uint8Array>;
}): Promise<MotionReceipt> {
  const contents = await Promise.all(input.files.map(async (f) => new Uint8Array(await f.arrayBuffer())));
  const hashes = await Promise.all(contents.map((c) => sha256Hex(c)));
  const { hearingId = null, ...fields } = input.draft;
  const hashed = input.files.map((f, i) => ({ fileName: f.name, sha256: hashes[i], size: contents[i].length }));
  const canonical = 'caseId' in input.to ? await draftMotion(input.to.caseId, { ...fields, hearingId, attachments: hashed }) : await draftRemoteMotion({ ...fields, attachments: hashed });
  const signature = toBase64(await input.sign(new TextEncoder().encode(canonical)));
  const attachments = input.files.map((f, i) => ({ fileName: f.name, contentBase64: toBase64(contents[i]) }));
  return 'caseId' in input.to ? fileMotion(input.to.caseId, { ...fields, hearingId, attachments, signature }) : fileRemoteMotion({ ...fields, attachments, signature });
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', Uint8Array.from(bytes));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
