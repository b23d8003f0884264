/**
 * Filing a motion from the browser (docs/motions.md): hash the attachments here, ask the server
 * for the canonical text of the draft, sign its UTF-8 bytes with the filer's key (in this page),
 * and send the motion, its attachments and the detached signature. The server rebuilds the same
 * canonical bytes from what it receives and verifies the signature over them.
 */
import { draftMotion, fileMotion, type MotionDraftInput, type MotionReceipt } from '../api.ts';

export async function fileSignedMotion(input: {
  caseId: string;
  draft: MotionDraftInput;
  files: File[];
  sign: (content: Uint8Array) => Promise<Uint8Array>;
}): Promise<MotionReceipt> {
  const contents = await Promise.all(input.files.map(async (f) => new Uint8Array(await f.arrayBuffer())));
  const hashes = await Promise.all(contents.map((c) => sha256Hex(c)));
  const canonical = await draftMotion(input.caseId, {
    ...input.draft,
    attachments: input.files.map((f, i) => ({ fileName: f.name, sha256: hashes[i], size: contents[i].length })),
  });
  const signature = await input.sign(new TextEncoder().encode(canonical));
  return fileMotion(input.caseId, {
    ...input.draft,
    attachments: input.files.map((f, i) => ({ fileName: f.name, contentBase64: toBase64(contents[i]) })),
    signature: toBase64(signature),
  });
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
