/**
 * Where a configuration folder keeps what: light enough for the commands that only need the layout (`npm run order`
 * reads it without loading the schema).
 */
export const PROJECT_FILE = 'project.json';
export const ENVIRONMENTS_DIR = 'environments';
