import { join } from 'node:path';

/** The repository root, found from this module's compiled place (dist/src/project-root.js). */
export const PROJECT_ROOT = join(__dirname, '..', '..');
