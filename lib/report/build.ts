// One view's data, and how to turn it into its document (terminal/HTML tables) or its JSON: each
// is made only when asked for (`--json` alone never builds the tables).
import type { ReportCtx } from './context';
import type { DocBlock } from './render/doc';
import * as J from './render/json';
import * as S from './render/sections';
import { blocksView } from './views/blocks';
import { periodView } from './views/periods';
import { quotaView } from './views/quota';
import { sessionDetailView, sessionListView, sessionsView } from './views/sessions';
import { summaryView } from './views/summary';

export type Built = { doc: () => DocBlock[]; json: () => unknown };

export function buildView(ctx: ReportCtx): Built {
  switch (ctx.args.view) {
    case 'daily':
    case 'weekly':
    case 'monthly': {
      const v = periodView(ctx, ctx.args.view);
      return { doc: () => S.periodDoc(v, ctx), json: () => J.periodJson(v, ctx) };
    }
    case 'summary': {
      const v = summaryView(ctx);
      return { doc: () => S.summaryDoc(v, ctx), json: () => J.summaryJson(v, ctx) };
    }
    case 'quota': {
      const v = quotaView(ctx);
      return { doc: () => S.quotaDoc(v, ctx), json: () => J.quotaJson(v, ctx) };
    }
    case 'blocks': {
      const v = blocksView(ctx);
      return { doc: () => S.blocksDoc(v, ctx), json: () => J.blocksJson(v, ctx) };
    }
    case 'sessions': {
      const v = sessionsView(ctx);
      return { doc: () => S.sessionsDoc(v, ctx), json: () => J.sessionsJson(v, ctx) };
    }
    case 'session': {
      if (ctx.args.id !== null) {
        const v = sessionDetailView(ctx, ctx.args.id);
        return { doc: () => S.sessionDetailDoc(v, ctx), json: () => J.sessionDetailJson(v, ctx) };
      }
      const v = sessionListView(ctx);
      return { doc: () => S.sessionListDoc(v, ctx), json: () => J.sessionListJson(v, ctx) };
    }
  }
}
