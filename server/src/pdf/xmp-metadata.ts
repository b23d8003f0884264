/**
 * The XMP packet of a PDF/A-2u document (pdf-archival.ts): the PDF/A identification
 * (pdfaid:part 2, conformance U) and the Dublin Core, XMP and PDF properties that mirror the
 * document information dictionary. It is made from the very values written in that dictionary,
 * so the two agree as PDF/A requires (ISO 19005-2, 6.6.3). Only schemas that PDF/A predefines
 * are used, so no extension schema has to be described.
 */

export type XmpInfo = {
  title?: string;
  author?: string;
  subject?: string;
  keywords?: string;
  creatorTool?: string;
  producer?: string;
  /** Both as PDF dates hold them: whole seconds, UTC. */
  created?: Date;
  modified?: Date;
  /** The document's language (the catalog's /Lang), a BCP 47 tag such as ru-RU. */
  lang?: string;
};

/**
 * The text without the characters XML 1.0 cannot hold even escaped (most control characters,
 * U+FFFE, U+FFFF, lone surrogates). pdf-archival.ts writes the Info entries through it too, so
 * the Info dictionary and the XMP still say the same.
 */
export function xmlText(text: string): string {
  return text.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '');
}

function escape(text: string): string {
  return xmlText(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** 2026-11-24T05:25:00Z: the instant of the PDF date, to the second. */
export function xmpDate(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A language alternative: x-default first (the value PDF/A compares with the Info entry), then the document's language. */
function alt(value: string, lang: string | undefined): string {
  const items = [`<rdf:li xml:lang="x-default">${escape(value)}</rdf:li>`];
  if (lang) items.push(`<rdf:li xml:lang="${escape(lang)}">${escape(value)}</rdf:li>`);
  return `<rdf:Alt>${items.join('')}</rdf:Alt>`;
}

/** The packet as UTF-8 bytes, for an uncompressed /Type /Metadata /Subtype /XML stream. */
export function xmpPacket(info: XmpInfo): Uint8Array {
  const properties: string[] = ['<dc:format>application/pdf</dc:format>'];
  if (info.title !== undefined) properties.push(`<dc:title>${alt(info.title, info.lang)}</dc:title>`);
  if (info.author !== undefined) properties.push(`<dc:creator><rdf:Seq><rdf:li>${escape(info.author)}</rdf:li></rdf:Seq></dc:creator>`);
  if (info.subject !== undefined) properties.push(`<dc:description>${alt(info.subject, info.lang)}</dc:description>`);
  if (info.lang) properties.push(`<dc:language><rdf:Bag><rdf:li>${escape(info.lang)}</rdf:li></rdf:Bag></dc:language>`);
  if (info.created) properties.push(`<xmp:CreateDate>${xmpDate(info.created)}</xmp:CreateDate>`);
  if (info.modified) properties.push(`<xmp:ModifyDate>${xmpDate(info.modified)}</xmp:ModifyDate>`, `<xmp:MetadataDate>${xmpDate(info.modified)}</xmp:MetadataDate>`);
  if (info.creatorTool !== undefined) properties.push(`<xmp:CreatorTool>${escape(info.creatorTool)}</xmp:CreatorTool>`);
  if (info.producer !== undefined) properties.push(`<pdf:Producer>${escape(info.producer)}</pdf:Producer>`);
  if (info.keywords !== undefined) properties.push(`<pdf:Keywords>${escape(info.keywords)}</pdf:Keywords>`);
  properties.push('<pdfaid:part>2</pdfaid:part>', '<pdfaid:conformance>U</pdfaid:conformance>');
  const xml = [
    // The packet header: no "bytes" or "encoding" attribute (PDF/A forbids them); the BOM says UTF-8.
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '  <rdf:Description rdf:about=""',
    '    xmlns:dc="http://purl.org/dc/elements/1.1/"',
    '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
    '    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"',
    '    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">',
    ...properties.map((p) => `   ${p}`),
    '  </rdf:Description>',
    ' </rdf:RDF>',
    '</x:xmpmeta>',
    // Read-only, no padding: a court document is signed as it is and never edited in place.
    '<?xpacket end="r"?>',
  ].join('\n');
  return new TextEncoder().encode(xml);
}
