// ccx's commands parse with lib/cli-kit (one parser for ccx and ccx-report); this is their local
// name for it.
export { flag, type Options, type Parsed, parse, str } from '../cli-kit';
