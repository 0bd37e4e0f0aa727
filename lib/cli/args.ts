// Command-line parsing on node:util parseArgs, strict: an unknown option or a missing value is a
// usage error naming it, never silently ignored.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './errors';

export type Options = NonNullable<ParseArgsConfig['options']>;
export type Parsed = { values: Record<string, string | boolean | undefined>; positionals: string[] };

export function parse(argv: string[], options: Options, positionals: { min: number; max: number; names: string }): Parsed {
  let parsed: Parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true }) as Parsed;
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/\s*\n\s*/g, ' ').replace(/\.$/, ''));
  }
  const n = parsed.positionals.length;
  if (n < positionals.min) throw new UsageError(`missing ${positionals.names}`);
  if (n > positionals.max) throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[positionals.max])}`);
  return parsed;
}

export const str = (p: Parsed, key: string): string | undefined => {
  const v = p.values[key];
  return typeof v === 'string' ? v : undefined;
};

export const flag = (p: Parsed, key: string): boolean => p.values[key] === true;
