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

export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export class JsonSyntaxError extends Error {}

/** Parses strictly (JSON.parse has the last word on validity) and records where each value sits. */
export function parseJsonText(text: string): JsonNode {
  const bom = text.startsWith('\uFEFF') ? 1 : 0;
  let i = bom;
  const fail = (): never => {
    const before = text.slice(0, i).split('\n');
    const what = i < text.length ? `unexpected ${JSON.stringify(text[i])}` : 'unexpected end of file';
    throw new JsonSyntaxError(`not valid JSON at line ${before.length}, column ${before.at(-1)!.length + 1}: ${what}`);
  };
  const skipWs = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const expect = (c: string): void => {
    skipWs();
    if (text[i] !== c) fail();
    i++;
  };
  const skipString = (): number => {
    if (text[i] !== '"') fail();
    for (i++; text[i] !== '"'; i++) {
      if (i >= text.length || text.charCodeAt(i) < 0x20) fail();
      if (text[i] === '\\' && !/^(["\\/bfnrt]|u[0-9a-fA-F]{4})/.test(text.slice(++i, i + 5))) fail();
    }
    return ++i;
  };
  const value = (): JsonNode => {
    skipWs();
    const start = i;
    if (text[i] === '{' || text[i] === '[') {
      const isObject = text[i++] === '{';
      const close = isObject ? '}' : ']';
      const members: JsonMember[] = [];
      const items: JsonNode[] = [];
      skipWs();
      if (text[i] !== close) {
        for (;;) {
          if (isObject) {
            skipWs();
            const keyStart = i;
            const keyEnd = skipString();
            expect(':');
            members.push({ key: JSON.parse(text.slice(keyStart, keyEnd)) as string, start: keyStart, keyEnd, value: value() });
          } else items.push(value());
          skipWs();
          if (text[i] === close) break;
          expect(',');
        }
      }
      i++;
      return isObject ? { kind: 'object', start, end: i, members } : { kind: 'array', start, end: i, items };
    }
    if (text[i] === '"') skipString();
    else {
      const literal = /^(true|false|null|-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(i, i + 1024));
      if (!literal) fail();
      i += literal![0].length;
    }
    return { kind: 'scalar', start, end: i };
  };
  const root = value();
  skipWs();
  if (i < text.length) fail();
  // Belt and braces: what the walk accepted, JSON.parse must accept too.
  try {
    JSON.parse(text.slice(bom));
  } catch (err) {
    throw new JsonSyntaxError(`not valid JSON: ${(err as Error).message}`);
  }
  return root;
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
const spans = (c: JsonContainer): Span[] => (c.kind === 'object' ? c.members.map((m) => ({ start: m.start, end: m.value.end })) : c.items);

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
  return `${text.slice(0, at)},${lead}${prefixKey(rendered)}${text.slice(at)}`;
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
  return JSON.stringify(value, null, style.unit)
    .split('\n')
    .join(style.eol + indent);
}
