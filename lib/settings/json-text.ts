// JSON read with positions, and edits made on the text itself. ccx changes a user's settings.json
// by inserting or cutting only its own bytes, so everything else (key order, spacing, number
// spelling, escapes, duplicate keys) stays exactly as written, and uninstall can undo install
// byte for byte.

export type JsonNode =
  | { kind: 'object'; start: number; end: number; members: JsonMember[] }
  | { kind: 'array'; start: number; end: number; items: JsonNode[] }
  | { kind: 'scalar'; start: number; end: number };
export type JsonMember = { key: string; start: number; keyEnd: number; value: JsonNode };
export type JsonContainer = Extract<JsonNode, { kind: 'object' | 'array' }>;

export class JsonSyntaxError extends Error {}

/** Parses strictly (JSON.parse decides validity), then records where each value sits. */
export function parseJsonText(text: string): JsonNode {
  const bom = text.startsWith('\uFEFF') ? 1 : 0;
  try {
    JSON.parse(text.slice(bom));
  } catch (err) {
    throw new JsonSyntaxError(describeSyntaxError((err as Error).message, text, bom));
  }
  let i = bom;
  const skipWs = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const skipString = (): number => {
    for (i++; text[i] !== '"'; i++) if (text[i] === '\\') i++;
    return ++i;
  };
  const value = (): JsonNode => {
    skipWs();
    const start = i;
    const c = text[i];
    if (c === '{') {
      const members: JsonMember[] = [];
      i++;
      skipWs();
      while (text[i] !== '}') {
        skipWs();
        const keyStart = i;
        const keyEnd = skipString();
        skipWs();
        i++; // ':'
        members.push({ key: JSON.parse(text.slice(keyStart, keyEnd)) as string, start: keyStart, keyEnd, value: value() });
        skipWs();
        if (text[i] === ',') i++;
      }
      i++;
      return { kind: 'object', start, end: i, members };
    }
    if (c === '[') {
      const items: JsonNode[] = [];
      i++;
      skipWs();
      while (text[i] !== ']') {
        items.push(value());
        skipWs();
        if (text[i] === ',') i++;
        skipWs();
      }
      i++;
      return { kind: 'array', start, end: i, items };
    }
    if (c === '"') skipString();
    else while (i < text.length && /[-+.0-9a-zA-Z]/.test(text[i]!)) i++;
    return { kind: 'scalar', start, end: i };
  };
  return value();
}

function describeSyntaxError(message: string, text: string, offset: number): string {
  const at = /position (\d+)/.exec(message);
  if (!at) return `not valid JSON: ${message}`;
  const pos = Number(at[1]) + offset;
  const before = text.slice(0, pos).split('\n');
  return `not valid JSON at line ${before.length}, column ${before.at(-1)!.length + 1}: ${message}`;
}

/** The JavaScript value of a node. */
export function valueOf(text: string, node: JsonNode): unknown {
  return JSON.parse(text.slice(node.start, node.end));
}

/** The member JSON.parse would keep for `key`: the last one. */
export function findMember(obj: JsonNode, key: string): { member: JsonMember; index: number } | null {
  if (obj.kind !== 'object') return null;
  for (let index = obj.members.length - 1; index >= 0; index--) {
    if (obj.members[index]!.key === key) return { member: obj.members[index]!, index };
  }
  return null;
}

type Span = { start: number; end: number };
const spans = (c: JsonContainer): Span[] =>
  c.kind === 'object' ? c.members.map((m) => ({ start: m.start, end: m.value.end })) : c.items;

/** The text with item `index` of `container` cut out, with its separator. */
export function removeItem(text: string, container: JsonContainer, index: number): string {
  const items = spans(container);
  if (items.length === 1) return text.slice(0, container.start + 1) + text.slice(container.end - 1);
  // Cut "<prev>|, <item>|" (or "|<first>, |<next>" for the first) so appendItem's insertion is
  // exactly undone.
  if (index > 0) return text.slice(0, items[index - 1]!.end) + text.slice(items[index]!.end);
  return text.slice(0, items[0]!.start) + text.slice(items[1]!.start);
}

/** The text with `value` added as the last item of `container` (as member `key` of an object). */
export function appendItem(text: string, container: JsonContainer, value: unknown, key?: string): string {
  const style = detectStyle(text);
  const items = spans(container);
  const prefixKey = (v: string): string => (key === undefined ? v : JSON.stringify(key) + style.colon + v);
  if (items.length === 0) {
    const outer = lineIndent(text, container.start);
    const inner = outer + style.unit;
    const body = style.eol + inner + prefixKey(render(value, inner, style)) + style.eol + outer;
    return text.slice(0, container.start + 1) + body + text.slice(container.end - 1);
  }
  // Copy the whitespace that precedes the first item: same line breaks, same indentation.
  const lead = text.slice(container.start + 1, items[0]!.start);
  const indent = lead.includes('\n') ? lead.slice(lead.lastIndexOf('\n') + 1) : null;
  const rendered = indent === null ? JSON.stringify(value) : render(value, indent, style);
  const at = items.at(-1)!.end;
  return text.slice(0, at) + ',' + lead + prefixKey(rendered) + text.slice(at);
}

/** The text with `node` replaced by `value`, laid out like its surroundings. */
export function replaceNode(text: string, node: JsonNode, value: unknown): string {
  const old = text.slice(node.start, node.end);
  const style = detectStyle(text);
  const rendered = old.includes('\n') ? render(value, lineIndent(text, node.start), style) : JSON.stringify(value);
  return text.slice(0, node.start) + rendered + text.slice(node.end);
}

type Style = { unit: string; eol: string; colon: string };

function detectStyle(text: string): Style {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const firstIndent = /\n([ \t]+)\S/.exec(text);
  const colon = /"\s*(:\s*)/.exec(text);
  return { unit: firstIndent ? firstIndent[1]! : '  ', eol, colon: colon ? colon[1]! : ': ' };
}

function lineIndent(text: string, pos: number): string {
  const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, pos))![0];
}

function render(value: unknown, indent: string, style: Style): string {
  return JSON.stringify(value, null, style.unit).split('\n').join(style.eol + indent);
}
