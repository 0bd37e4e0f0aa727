// The report rendered by a live consolidator, for a ccx-report process that has not loaded the
// report: ask (requests.ts), wait for the answer, read what it rendered. Null whenever the caller
// must render it itself: no live holder, a holder that rendered none (an older ccx, --html, the
// live view), one that died or did not answer in time, or a home ccx does not trust.
import type { RenderAsk, RenderResult } from '../contracts/render';
import { lockHolder } from '../lock-holder';
import type { CcxPaths } from '../paths';
import { answerFrom, answerWait, createRequest, isAnswered, readRendered, removeRequest } from './requests';

export async function renderedByLive(paths: CcxPaths, ask: RenderAsk, now: () => number, timeoutMs: number): Promise<RenderResult | null> {
  if (lockHolder(paths, now()).state !== 'live') return null;
  let req: string;
  try {
    req = createRequest(paths.requests, `${process.pid}-${now()}`, { render: ask });
  } catch {
    return null; // a home we cannot write to: the report says so itself
  }
  const answer = answerWait(req);
  try {
    await answerFrom(paths, req, answer, now, now() + timeoutMs);
    return isAnswered(req) ? readRendered(req) : null;
  } finally {
    answer.close();
    removeRequest(req);
  }
}
