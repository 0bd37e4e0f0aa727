// Doctor findings as text: one line per check, its fix indented below.
import { printable } from '../format';
import type { Check } from './check';

export function renderChecks(checks: Check[]): string {
  const width = Math.max(...checks.map((c) => printable(c.name).length));
  let out = '';
  for (const c of checks) {
    // Names, messages and fixes quote config and data (paths, profile labels): made printable.
    out += `${c.status.padEnd(4)}  ${printable(c.name).padEnd(width)}  ${printable(c.message)}\n`;
    if (c.fix) out += `${' '.repeat(6 + width)}  fix: ${printable(c.fix)}\n`;
  }
  const failed = checks.filter((c) => c.status === 'fail').length;
  const warned = checks.filter((c) => c.status === 'warn').length;
  out += failed ? `\n${failed} check(s) failed, ${warned} warning(s)\n` : warned ? `\nall good, ${warned} warning(s)\n` : '\nall good\n';
  return out;
}
