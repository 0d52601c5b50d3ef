/** The three parts of a contract version; the contract uses plain `MAJOR.MINOR.PATCH`, no pre-releases. */
export interface Version {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

export type BumpLevel = 'major' | 'minor' | 'patch';

export function parseVersion(text: string, what = 'version'): Version {
  const match = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/.exec(text);
  if (!match) throw new Error(`${what} "${text}" is not a semantic version MAJOR.MINOR.PATCH (e.g. 1.2.0)`);
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

export function compareVersions(a: string, b: string): number {
  const [x, y] = [parseVersion(a), parseVersion(b)];
  return x.major - y.major || x.minor - y.minor || x.patch - y.patch;
}

/** The version right after `version` at `level`: 1.4.2 → major 2.0.0, minor 1.5.0, patch 1.4.3. */
export function bump(version: string, level: BumpLevel): string {
  const v = parseVersion(version);
  if (level === 'major') return `${v.major + 1}.0.0`;
  if (level === 'minor') return `${v.major}.${v.minor + 1}.0`;
  return `${v.major}.${v.minor}.${v.patch + 1}`;
}
