// A node:test reporter that prints one line a person can read at the end of `npm test`:
// "ok: 377 passed, 0 failed, 3 skipped". Suites are not counted; a test with subtests counts once
// itself besides its subtests. package.json runs it beside the TAP reporter.
/** @param {AsyncIterable<{ type: string, data: any }>} source */
export default async function* summary(source) {
  let pass = 0,
    fail = 0,
    skip = 0,
    todo = 0;
  for await (const { type, data } of source) {
    if (type !== 'test:pass' && type !== 'test:fail') continue;
    if (data.details?.type === 'suite') continue;
    if (data.skip) skip++;
    else if (data.todo) todo++;
    else if (type === 'test:pass') pass++;
    else fail++;
  }
  yield `\n${fail ? 'FAILED' : 'ok'}: ${pass} passed, ${fail} failed, ${skip} skipped${todo ? `, ${todo} todo` : ''}\n`;
}
