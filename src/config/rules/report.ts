/** Records one configuration problem at a path inside the environment file. */
export type Report = (path: readonly (string | number)[], message: string) => void;
