import { i18n } from '$lib/i18n/i18n.svelte.ts';

// A single-page app: everything renders in the browser, the server only serves files and the API.
export const ssr = false;
export const prerender = false;

/** Nothing renders before the interface language's dictionary is there (it is downloaded alone). */
export async function load(): Promise<void> {
  await i18n.ready;
}
