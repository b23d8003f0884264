/**
 * Getting a package into a running test server the way the court office does (its upload API,
 * with a session and a CSRF token), and making a built package name the demo prosecutor, so that
 * demo user sees the case it creates (the court office and chair see every case of the court).
 */
import fs from 'node:fs';
import { DEMO_USERS } from '../../db/demo.ts';
import type { AcceptedBody } from '../../server/src/shared/api/ecases.ts';
import type { EcaseBuilder } from './ecase-builder.ts';
import { ApiClient } from './server.ts';

/** Uploads `zip` as the demo court office; throws unless the case is accepted. */
export async function ingestAsOffice(baseUrl: string, zip: string): Promise<AcceptedBody> {
  const office = new ApiClient(baseUrl);
  await office.login('office');
  const response = await fetch(`${baseUrl}/api/office/ecases`, {
    method: 'POST',
    headers: { cookie: office.cookieHeader, 'x-csrf-token': office.csrfToken ?? '', 'content-type': 'application/zip' },
    body: new Uint8Array(fs.readFileSync(zip)),
  });
  const body = (await response.json()) as AcceptedBody;
  if (response.status !== 201 && response.status !== 200) throw new Error(`the package was not accepted: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

/**
 * The package's prosecutor becomes the demo user `prosecutor` (linked by IIN). The demo defence
 * lawyer's IIN has no valid check digit, so a package cannot name him.
 */
export function linkDemoProsecutor(builder: EcaseBuilder): EcaseBuilder {
  const iin = DEMO_USERS.find((u) => u.username === 'prosecutor')!.iin;
  for (const participant of builder.manifest.participants) {
    if (participant.role === 'prosecutor') participant.iin = iin;
  }
  return builder;
}
