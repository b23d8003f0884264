/**
 * The Content-Security-Policy header every answer carries (pages, API JSON, assets, PDFs,
 * recordings). Its source is the meta tag SvelteKit writes into the built index.html
 * (svelte.config.js `kit.csp`), which holds the hashes of the page's inline boot script, so the
 * header and the meta tag allow exactly the same; the header adds `frame-ancestors 'none'`, which
 * a meta tag cannot state. Without a built app (the API alone) the policy allows nothing at all.
 *
 * A rebuild changes the boot script's hash: the policy is read again when index.html changes, so a
 * server left running across `npm run build:web` keeps serving pages that can start.
 */
import fs from 'node:fs';
import path from 'node:path';

const FRAME_ANCESTORS = "frame-ancestors 'none'";
/** For a server with no web app: nothing in its answers may load, run or be framed. */
export const API_ONLY_POLICY = `default-src 'none'; base-uri 'none'; form-action 'none'; ${FRAME_ANCESTORS}`;

const META = /<meta http-equiv="content-security-policy" content="([^"]*)"/i;

/** The meta tag's policy in `html`, with frame-ancestors added; null when the page has none. */
export function headerPolicyOf(html: string): string | null {
  const policy = META.exec(html)?.[1]?.replaceAll('&#39;', "'").replaceAll('&quot;', '"').replaceAll('&amp;', '&').trim();
  if (!policy) return null;
  return /(^|;)\s*frame-ancestors\s/.test(policy) ? policy : `${policy.replace(/;\s*$/, '')}; ${FRAME_ANCESTORS}`;
}

/** A getter for the policy of the app built in `buildDir`, re-read only when its index.html changes. */
export function contentSecurityPolicy(buildDir: string): () => string {
  const index = path.join(buildDir, 'index.html');
  let seen: number | null = null;
  let policy = API_ONLY_POLICY;
  return () => {
    const modified = fs.statSync(index, { throwIfNoEntry: false })?.mtimeMs ?? null;
    if (modified !== seen) {
      seen = modified;
      policy = (modified !== null && headerPolicyOf(fs.readFileSync(index, 'utf8'))) || API_ONLY_POLICY;
    }
    return policy;
  };
}
