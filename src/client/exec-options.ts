/** Body of POST /exec/{id}/start as {@link BerthClient.execStart} takes it. */
export interface ExecStartOptions {
  /** The exec was created with a TTY: output is raw, not stdcopy-framed. */
  tty?: boolean;
  /** Initial [rows, columns] of the exec's TTY. */
  consoleSize?: [number, number];
}
