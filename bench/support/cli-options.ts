/** A command-line option that must be a whole number above zero (`--iterations 20`). */
export function positiveInt(name: string, value: string | undefined): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new Error(`--${name} must be a positive integer, got "${value}"`);
  return number;
}

/** A command-line option that must be a number above zero, fractions allowed (`--spread 1.5`). */
export function positiveNumber(name: string, value: string | undefined): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`--${name} must be a positive number, got "${value}"`);
  return number;
}

/** A command-line option that must be a whole number, zero allowed (`--workers 0`). */
export function nonNegativeInt(name: string, value: string | undefined): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw new Error(`--${name} must be a whole number of at least 0, got "${value}"`);
  return number;
}
