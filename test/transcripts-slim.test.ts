// withoutContent must leave JSON that parses to the same document minus the first content value.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withoutContent } from '../lib/transcripts/slim';

const long = 'x'.repeat(100);

test('cuts the first content value, whatever it holds', () => {
  const docs = [
    {
      type: 'assistant',
      message: { id: 'm', content: [{ type: 'text', text: `${long} "quoted" \\ back\\slash \\" [ { ] }` }], usage: { input_tokens: 1 } },
    },
    { type: 'assistant', message: { id: 'm', content: `${long}\\`, usage: { input_tokens: 2 } } },
    {
      type: 'assistant',
      message: { id: 'm', content: [{ type: 'tool_use', input: { content: long, nested: [[{}], '"]}'] } }], usage: { input_tokens: 3 } },
      requestId: 'r',
    },
  ];
  for (const d of docs) {
    const out = JSON.parse(withoutContent(Buffer.from(JSON.stringify(d))));
    const expected = structuredClone(d) as { message: { content: unknown } };
    expected.message.content = null;
    assert.deepEqual(out, expected);
  }
});

test('leaves short, missing or unterminated content alone', () => {
  for (const text of ['{"message":{"content":"hi","usage":{}}}', '{"message":{"usage":{}}}', `{"message":{"content":["${long}`]) {
    assert.equal(withoutContent(Buffer.from(text)), text);
  }
});
