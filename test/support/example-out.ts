/**
 * The environment variable through which scripts/run-tests.mjs hands test processes the folder it has just
 * synthesized the example configuration into, so that they read it instead of each synthesizing it again.
 */
export const EXAMPLE_OUT_VARIABLE = 'PLATFORM_INFRA_EXAMPLE_OUT';
