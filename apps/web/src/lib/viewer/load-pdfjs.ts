/**
 * pdf.js on demand: the first page the viewer draws downloads it (and its worker, started by the
 * first document opened), so a workstation that shows no page never does. One download per tab;
 * a failed one is tried again by the next page.
 */
import type { PdfjsModule } from './pdfjs.ts';

let loading: Promise<PdfjsModule> | null = null;

export function loadPdfjs(): Promise<PdfjsModule> {
  if (!loading) {
    const started = import('./pdfjs.ts');
    loading = started;
    started.catch(() => {
      if (loading === started) loading = null;
    });
  }
  return loading;
}
