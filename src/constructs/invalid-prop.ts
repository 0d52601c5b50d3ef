/**
 * Throws the synth-time error every construct uses for a bad prop: which construct, which prop,
 * what is allowed and what it got.
 */
export function invalidProp(construct: string, prop: string, allowed: string, got: unknown): never {
  throw new Error(`${construct}: ${prop} must be ${allowed} (got ${JSON.stringify(got)})`);
}

/** What a TCP or UDP port prop must be, in the words the errors use. */
export const PORT_RANGE = 'a port 1–65535';

export function isPort(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 65535;
}
