// lib/cli-kit: what `ccx` and `ccx-report` share as commands (see README.md). Never imported by
// hooks or the status line: they have no command line to speak of and must start fast.
export { CliError, describeError, type ErrorKinds, guarded, UsageError } from './errors';
export { flag, helpRequested, list, type Options, type Parsed, parse, str } from './parse';
export { progressLine } from './progress';
export { endOnClosedPipe, termWidth, useColor } from './terminal';
