/** Milliseconds in a day, for dates computed from a number of days (UTC: no day here has a leap second). */
export const DAY_MS = 86_400_000;
