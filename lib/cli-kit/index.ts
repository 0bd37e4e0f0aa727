// lib/cli-kit: what `ccx` and `ccx-report` share as commands (see README.md). Never imported by
// hooks or the status line: they have no command line to speak of and must start fast.
export { CliError, describeError, type ErrorKinds, EXIT, exitCodeFor, guarded, UsageError } from './errors';
export { flag, helpRequested, list, type OptionSpec, type Options, type Parsed, type Positionals, parse, str } from './parse';
export { PROGRESS_DELAY_MS, type ProgressStream, progressLine } from './progress';
export { DEFAULT_WIDTH, termWidth, useColor } from './terminal';
