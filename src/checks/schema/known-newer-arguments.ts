// Arguments the bindings (provider 6.66) may render but the schema the check validates against (6.47)
// does not know yet, as `<resource type>.<argument>` (nested: `<type>.<block>.<argument>`).
// Each entry needs a comment saying which provider release added it and why we use it; remove entries
// once the schema is refreshed to a version that has them. Keep this empty unless a real case appears:
// every entry is a blind spot of the schema check.
export const KNOWN_NEWER_ARGUMENTS: ReadonlySet<string> = new Set<string>([]);
