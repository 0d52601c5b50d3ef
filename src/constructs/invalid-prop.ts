/**
 * Throws the synth-time error every construct uses for a bad prop: which construct, which prop,
 * what is allowed and what it got.
 */
export function invalidProp(construct: string, prop: string, allowed: string, got: unknown): never {
  throw new Error(`${construct}: ${prop} must be ${allowed} (got ${JSON.stringify(got)})`);
}
