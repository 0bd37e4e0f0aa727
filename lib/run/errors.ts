// A `ccx run` failure whose message already says what to do (the CLI prints it as it is, exit 1).
export class RunError extends Error {
  override name = 'RunError';
}
