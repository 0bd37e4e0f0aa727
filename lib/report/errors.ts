// Errors the CLI turns into one stderr line and an exit code: 2 for a wrong invocation (the user
// fixes the command line), 1 for a runtime problem (config, database, file system).
export class ReportError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
    this.name = 'ReportError';
  }
}

export const usageError = (message: string) => new ReportError(message, 2);
export const runtimeError = (message: string) => new ReportError(message, 1);
