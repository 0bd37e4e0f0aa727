// The line's layout: a template of fields (the default one, or the user's `--format`), filled in
// and narrowed to the terminal's width by a fixed order of giving way.
import { FIELD_NAMES, type FieldName, type Fields } from './fields';

/** The order of importance: what Claude Code's own truncation cuts (the right end) matters least. */
export const DEFAULT_FORMAT = '{profile} │ {5h} │ {wk} │ {today} │ {ctx} │ {model} │ {session}';

/** A template: the text before the first field, then each field with the text after it. */
export type Template = { lead: string; parts: { field: FieldName; after: string }[] };

const PLACEHOLDER = /\{([A-Za-z0-9_]+)\}/g;
const isFieldName = (s: string): s is FieldName => (FIELD_NAMES as readonly string[]).includes(s);

/** A `--format` template, or the placeholders in it that name no field. */
export function parseTemplate(format: string): Template | { unknown: string[] } {
  const t: Template = { lead: '', parts: [] };
  const unknown: string[] = [];
  let at = 0;
  for (const m of format.matchAll(PLACEHOLDER)) {
    const name = m[1] ?? '';
    if (!isFieldName(name)) {
      unknown.push(m[0]);
      continue;
    }
    const text = format.slice(at, m.index);
    const last = t.parts.at(-1);
    if (last) last.after = text;
    else t.lead = text;
    t.parts.push({ field: name, after: '' });
    at = m.index + m[0].length;
  }
  const last = t.parts.at(-1);
  if (last) last.after = format.slice(at);
  else t.lead = format;
  return unknown.length ? { unknown } : t;
}

/**
 * The template filled in. A field with nothing to show prints nothing, and the text between two
 * fields is their separator: it is printed only between two fields that both show something (the
 * one after the earlier of them). The text before the first field and after the last is always
 * printed.
 */
function fill(t: Template, fields: Fields, short: ReadonlySet<FieldName>): string {
  let out = t.lead;
  let separator: string | null = null;
  for (const { field, after } of t.parts) {
    const f = fields[field];
    if (!f) continue;
    if (separator !== null) out += separator;
    out += short.has(field) ? (f.short ?? f.full) : f.full;
    separator = after;
  }
  // The separator still pending is dropped; the text after the last field is not a separator.
  return out + (t.parts.at(-1)?.after ?? '');
}

/**
 * How a line too wide gives way, one step at a time until it fits: the weekly reset (days away)
 * first, then whole fields from the least important (the session's cost, the model, the context,
 * today's cost), the 5 h reset last. The profile and the 5 h and weekly percentages never go: they
 * are what ccx is for (which account, how much is left of it).
 */
const GIVE_WAY: { field: FieldName; to: 'short' | 'drop' }[] = [
  { field: 'wk', to: 'short' },
  { field: 'session', to: 'drop' },
  { field: 'model', to: 'drop' },
  { field: 'ctx', to: 'drop' },
  { field: 'today', to: 'drop' },
  { field: '5h', to: 'short' },
];

/** Terminal columns a string takes: one per code point (the line's symbols and model names are narrow). */
const columns = (s: string): number => [...s].length;

/**
 * The template filled in, narrowed step by step (GIVE_WAY) until it takes at most `width` columns;
 * then each step taken is undone again, the last first, where the line still fits without it (a
 * field dropped may leave room for the weekly reset shortened before it).
 */
export function fit(t: Template, fields: Fields, width: number): string {
  const taken = new Set<(typeof GIVE_WAY)[number]>();
  const render = () => {
    const shown: Fields = { ...fields };
    const short = new Set<FieldName>();
    for (const step of taken) {
      if (step.to === 'drop') delete shown[step.field];
      else short.add(step.field);
    }
    return fill(t, shown, short);
  };
  let line = render();
  for (const step of GIVE_WAY) {
    if (columns(line) <= width) break;
    if (!fields[step.field] || !t.parts.some((p) => p.field === step.field)) continue;
    taken.add(step);
    line = render();
  }
  for (const step of [...taken].reverse()) {
    taken.delete(step);
    const without = render();
    if (columns(without) <= width) line = without;
    else taken.add(step);
  }
  return line;
}
