/**
 * The IIN (individual identification number) check digit, SPEC section 3: a weighted sum mod 11,
 * with a second set of weights when the first gives 10, and no valid IIN when both give 10.
 */
const FIRST_WEIGHTS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const SECOND_WEIGHTS = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/** The check digit for the first 11 digits, or null when no check digit exists for them. */
export function iinCheckDigit(first11: string): number | null {
  const digits = [...first11].map(Number);
  const weighted = (weights: number[]) => digits.reduce((sum, d, i) => sum + d * weights[i], 0) % 11;
  let r = weighted(FIRST_WEIGHTS);
  if (r === 10) r = weighted(SECOND_WEIGHTS);
  return r === 10 ? null : r;
}

export function isValidIin(iin: string): boolean {
  if (!/^\d{12}$/.test(iin)) return false;
  return iinCheckDigit(iin.slice(0, 11)) === Number(iin[11]);
}
