/**
 * A request body that does not match the Engine API spec. src/api depends on nothing else in src/,
 * so this is its own class; the server maps it to 400 (InvalidParameter) in its one error map.
 */
export class RequestValidationError extends Error {
  /** The operation whose body was rejected, e.g. 'ContainerCreate'. */
  readonly operationId: string;
  /** User-facing path of the offending field (`HostConfig.Memory`, `Cmd[0]`); '' for the body itself. */
  readonly field: string;

  constructor(operationId: string, field: string, message: string) {
    super(message);
    this.name = 'RequestValidationError';
    this.operationId = operationId;
    this.field = field;
  }
}
