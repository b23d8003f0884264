/**
 * CSV for spreadsheets: UTF-8 with a byte-order mark (so Excel reads Cyrillic and Kazakh letters
 * right), CRLF line ends, every field quoted when it holds a separator, a quote or a line break,
 * and a field starting with = + - @ prefixed with ' so a spreadsheet never runs it as a formula.
 */
export function toCsv(header: string[], rows: (string | number | null)[][]): string {
  const line = (fields: (string | number | null)[]) => fields.map(field).join(',');
  return `\uFEFF${[line(header), ...rows.map(line)].join('\r\n')}\r\n`;
}

function field(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
