/** One ordered schema step. `up` runs inside the migration transaction; versions are 1, 2, 3, ... */
export interface Migration {
  version: number;
  name: string;
  up: string;
}
