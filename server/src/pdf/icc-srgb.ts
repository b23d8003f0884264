/**
 * The sRGB colour profile that PDF/A's output intent names (pdf-archival.ts), computed here
 * rather than copied from a file: an ICC version 2.1 display ("mntr") matrix/TRC profile, the
 * same kind as the sRGB profile every system ships, built from IEC 61966-2-1's own numbers —
 * the primaries' and D65's chromaticities and the transfer function. So the bytes carry no one
 * else's copyright and need no download; the same code gives the same bytes every time.
 *
 * Layout (ICC.1:2001-04): a 128-byte header, the tag table, then each tag's data on a 4-byte
 * boundary. The three TRC tags share one curve. Checked against Little CMS's own built-in sRGB
 * in icc-srgb.spec.ts.
 */

type Xyz = [number, number, number];
type Matrix = [Xyz, Xyz, Xyz];

/** IEC 61966-2-1: the primaries' and the white's chromaticities (x, y). */
const PRIMARIES: [number, number][] = [
  [0.64, 0.33],
  [0.3, 0.6],
  [0.15, 0.06],
];
const D65: [number, number] = [0.3127, 0.329];
/** The ICC profile connection space's illuminant (D50), as the standard states it. */
export const PCS_D50: Xyz = [0.9642, 1.0, 0.8249];
/** The sRGB transfer function: a value in [0, 1] to linear light. */
export const srgbToLinear = (v: number): number => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
const CURVE_POINTS = 1024;
export const SRGB_DESCRIPTION = 'sRGB IEC61966-2.1';
const COPYRIGHT = 'No copyright, use freely. Computed by e-Zal from IEC 61966-2-1.';
/** The profile's creation date in its header: fixed, so the bytes never change. */
const CREATED = [2026, 12, 1, 0, 0, 0];

const xyToXyz = ([x, y]: [number, number]): Xyz => [x / y, 1, (1 - x - y) / y];
const multiply = (a: Matrix, b: Matrix): Matrix => a.map((row) => [0, 1, 2].map((j) => row[0] * b[0][j] + row[1] * b[1][j] + row[2] * b[2][j])) as Matrix;
const apply = (m: Matrix, v: Xyz): Xyz => m.map((row) => row[0] * v[0] + row[1] * v[1] + row[2] * v[2]) as Xyz;
function invert(m: Matrix): Matrix {
  const [[a, b, c], [d, e, f], [g, h, i]] = m;
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  return [
    [(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det],
    [(f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det],
    [(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det],
  ];
}

/**
 * The red, green and blue colorants in the D50 connection space (columns of RGB → XYZ), and
 * the D65 white: RGB → XYZ(D65) from the chromaticities, then adapted to D50 with the Bradford
 * transform, as ICC v2 display profiles do.
 */
export function srgbColorants(): { red: Xyz; green: Xyz; blue: Xyz; white: Xyz } {
  const white = xyToXyz(D65);
  const columns = PRIMARIES.map(xyToXyz);
  const primaries: Matrix = [0, 1, 2].map((r) => columns.map((c) => c[r])) as Matrix;
  const scale = apply(invert(primaries), white);
  const rgbToXyz: Matrix = primaries.map((row) => row.map((v, j) => v * scale[j])) as Matrix;
  const bradford: Matrix = [
    [0.8951, 0.2664, -0.1614],
    [-0.7502, 1.7135, 0.0367],
    [0.0389, -0.0685, 1.0296],
  ];
  const from = apply(bradford, white);
  const to = apply(bradford, PCS_D50);
  const gain: Matrix = [
    [to[0] / from[0], 0, 0],
    [0, to[1] / from[1], 0],
    [0, 0, to[2] / from[2]],
  ];
  const adapted = multiply(multiply(invert(bradford), multiply(gain, bradford)), rgbToXyz);
  const column = (j: number): Xyz => [adapted[0][j], adapted[1][j], adapted[2][j]];
  return { red: column(0), green: column(1), blue: column(2), white };
}

/** Writes big-endian fields into a growing byte list. */
class Bytes {
  readonly out: number[] = [];
  u8(v: number): this {
    this.out.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v >>> 8).u8(v);
  }
  u32(v: number): this {
    return this.u16(v >>> 16).u16(v & 0xffff);
  }
  /** A four-character signature ('desc', 'RGB '). */
  sig(s: string): this {
    for (const c of s.padEnd(4)) this.u8(c.charCodeAt(0));
    return this;
  }
  /** s15Fixed16Number: a signed 32-bit value with 16 fraction bits. */
  fixed(v: number): this {
    return this.u32(Math.round(v * 65536) >>> 0);
  }
  ascii(s: string): this {
    for (const c of s) this.u8(c.charCodeAt(0));
    return this.u8(0);
  }
  zeros(n: number): this {
    for (let i = 0; i < n; i++) this.u8(0);
    return this;
  }
  pad(): this {
    while (this.out.length % 4) this.u8(0);
    return this;
  }
}

/** textDescriptionType: the ASCII description, no Unicode or ScriptCode variant. */
function descTag(text: string): number[] {
  return new Bytes()
    .sig('desc')
    .u32(0)
    .u32(text.length + 1)
    .ascii(text)
    .u32(0)
    .u32(0)
    .u16(0)
    .u8(0)
    .zeros(67).out;
}
const textTag = (text: string): number[] => new Bytes().sig('text').u32(0).ascii(text).out;
const xyzTag = (v: Xyz): number[] => new Bytes().sig('XYZ ').u32(0).fixed(v[0]).fixed(v[1]).fixed(v[2]).out;
function curveTag(): number[] {
  const b = new Bytes().sig('curv').u32(0).u32(CURVE_POINTS);
  for (let i = 0; i < CURVE_POINTS; i++) b.u16(Math.round(srgbToLinear(i / (CURVE_POINTS - 1)) * 65535));
  return b.out;
}

let cached: Uint8Array | undefined;

/** The profile's bytes (computed once per process). */
export function srgbIccProfile(): Uint8Array {
  if (cached) return cached;
  const { red, green, blue, white } = srgbColorants();
  const trc = curveTag();
  const tags: [string, number[] | string][] = [
    ['desc', descTag(SRGB_DESCRIPTION)],
    ['cprt', textTag(COPYRIGHT)],
    ['wtpt', xyzTag(white)],
    ['rXYZ', xyzTag(red)],
    ['gXYZ', xyzTag(green)],
    ['bXYZ', xyzTag(blue)],
    ['rTRC', trc],
    ['gTRC', 'rTRC'], // the same curve: these tags point at rTRC's data
    ['bTRC', 'rTRC'],
  ];
  const data = new Bytes();
  const table = new Bytes().u32(tags.length);
  const dataStart = 128 + 4 + 12 * tags.length;
  const placed = new Map<string, { offset: number; size: number }>();
  for (const [signature, content] of tags) {
    let where = typeof content === 'string' ? placed.get(content)! : undefined;
    if (!where) {
      data.pad();
      where = { offset: dataStart + data.out.length, size: (content as number[]).length };
      data.out.push(...(content as number[]));
    }
    placed.set(signature, where);
    table.sig(signature).u32(where.offset).u32(where.size);
  }
  data.pad();
  const size = dataStart + data.out.length;
  const header = new Bytes()
    .u32(size)
    .u32(0) // preferred CMM: none
    .u32(0x02100000) // version 2.1.0
    .sig('mntr')
    .sig('RGB ')
    .sig('XYZ ');
  for (const part of CREATED) header.u16(part);
  header
    .sig('acsp')
    .u32(0) // primary platform: none
    .u32(0) // flags: not embedded-only, may be used independently
    .u32(0) // device manufacturer
    .u32(0) // device model
    .zeros(8) // device attributes: reflective, glossy, positive, colour
    .u32(0) // rendering intent: perceptual
    .fixed(PCS_D50[0])
    .fixed(PCS_D50[1])
    .fixed(PCS_D50[2])
    .u32(0) // creator
    .zeros(16 + 28); // profile ID (version 4 only) and reserved
  cached = Uint8Array.from([...header.out, ...table.out, ...data.out]);
  return cached;
}
