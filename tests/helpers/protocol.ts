/**
 * What the protocol's tests and benchmark need: key files of the hearing's secretary and judge
 * (and a prosecutor, to sign with someone else's key) under a CA the court trusts, and signing the
 * protocol as the web app does — fetch the PDF, sign its bytes with the web app's signing module,
 * send the signature with the version the PDF was rendered at.
 */
import fs from 'node:fs';
import path from 'node:path';
import { signDetached } from '../../apps/web/src/lib/signing/sign-detached.ts';
import { issuePerson, makeCa, makeKeyFile, toPem } from '../../server/src/signatures/key-files.ts';
import type { ApiClient } from './server.ts';

export const KEY_PASSWORD = 'test-pass';
/** The demo users' IINs (db/demo.ts). */
export const IIN = { judge: '780315400123', secretary: '950201400789', prosecutor: '850412300125' };

export type ProtocolPki = { rootFile: string; judge: Uint8Array; secretary: Uint8Array; prosecutor: Uint8Array };

export async function makeProtocolPki(dir: string): Promise<ProtocolPki> {
  const root = await makeCa('Test Court Root');
  const key = async (iin: string) => makeKeyFile(await issuePerson(root, { fullName: `Test ${iin}`, iin }), KEY_PASSWORD, { iterations: 1000 });
  const rootFile = path.join(dir, 'court-root.pem');
  fs.writeFileSync(rootFile, toPem(root.cert));
  return { rootFile, judge: await key(IIN.judge), secretary: await key(IIN.secretary), prosecutor: await key(IIN.prosecutor) };
}

/** The protocol's PDF as a browser downloads it, with the version it was rendered at. */
export async function protocolPdf(api: ApiClient, hearingId: string): Promise<{ bytes: Uint8Array; version: number; sha256: string }> {
  const response = await fetch(`${api.baseUrl}/api/hearings/${hearingId}/protocol.pdf`, { headers: { cookie: api.cookieHeader } });
  if (response.status !== 200) throw new Error(`protocol.pdf: ${response.status} ${await response.text()}`);
  return { bytes: new Uint8Array(await response.arrayBuffer()), version: Number(response.headers.get('x-protocol-version')), sha256: response.headers.get('x-protocol-sha256') ?? '' };
}

/** Fetches the PDF, signs it with `p12` and sends the signature; returns the HTTP answer. */
export async function signProtocol(api: ApiClient, hearingId: string, p12: Uint8Array, options: { version?: number } = {}) {
  const pdf = await protocolPdf(api, hearingId);
  const signature = await signDetached(p12, KEY_PASSWORD, pdf.bytes);
  return api.post(`/api/hearings/${hearingId}/protocol/sign`, { version: options.version ?? pdf.version, signature: Buffer.from(signature).toString('base64') });
}

/** Drafts an addendum (its PDF), signs it with `p12` and files it; returns the HTTP answer of the filing (or of the draft, when refused). */
export async function addAddendum(api: ApiClient, hearingId: string, text: string, p12: Uint8Array, options: { number?: number } = {}) {
  const draft = await fetch(`${api.baseUrl}/api/hearings/${hearingId}/protocol/addenda/draft`, {
    method: 'POST',
    headers: { cookie: api.cookieHeader, 'content-type': 'application/json', 'x-csrf-token': api.csrfToken ?? '' },
    body: JSON.stringify({ text }),
  });
  if (draft.status !== 200) return { status: draft.status, body: await draft.json() };
  const bytes = new Uint8Array(await draft.arrayBuffer());
  const signature = await signDetached(p12, KEY_PASSWORD, bytes);
  return api.post(`/api/hearings/${hearingId}/protocol/addenda`, {
    text,
    number: options.number ?? Number(draft.headers.get('x-addendum-number')),
    signature: Buffer.from(signature).toString('base64'),
  });
}
