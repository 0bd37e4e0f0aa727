// The token counts of a usage record and the sums over them: one list of columns and one
// definition of "prompt side" and "total", as TypeScript and as SQL, so the scanner, the rollup,
// pricing, quota and the report cannot drift apart. Plain TS, no dependency: the hooks may load it.

/**
 * The usage table's token columns (lib/store/migrations.ts; the rollup tables repeat them). The
 * five counts are disjoint and sum to everything the API response billed.
 */
export const TOKEN_COLUMNS = [
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_creation_5m_tokens',
  'cache_creation_1h_tokens',
] as const;
export type TokenColumn = (typeof TOKEN_COLUMNS)[number];

/** One record's (or one group's) token counts, named as the columns are: SQL rows fit as they are. */
export type Tokens = Record<TokenColumn, number>;

/** What the prompt is billed for: everything but the output. Long-context pricing looks at it. */
const PROMPT_COLUMNS = ['input_tokens', 'cache_read_tokens', 'cache_creation_5m_tokens', 'cache_creation_1h_tokens'] as const;

// Written out rather than folded over the lists: pricing and dedup call these per row.
export const promptTokens = (t: Tokens): number =>
  t.input_tokens + t.cache_read_tokens + t.cache_creation_5m_tokens + t.cache_creation_1h_tokens;
export const totalTokens = (t: Tokens): number => promptTokens(t) + t.output_tokens;
/** Both cache writes (5 minutes and 1 hour) as one count, as reports show them. */
export const cacheWriteTokens = (t: Tokens): number => t.cache_creation_5m_tokens + t.cache_creation_1h_tokens;

/** Just the counts of a wider row (a SQL row, a priced group). */
export const tokensOf = (t: Tokens): Tokens => ({
  input_tokens: t.input_tokens,
  output_tokens: t.output_tokens,
  cache_read_tokens: t.cache_read_tokens,
  cache_creation_5m_tokens: t.cache_creation_5m_tokens,
  cache_creation_1h_tokens: t.cache_creation_1h_tokens,
});

/** The counts in TOKEN_COLUMNS order, for positional statement parameters. */
export const tokenValues = (t: Tokens): number[] => TOKEN_COLUMNS.map((c) => t[c]);

const col = (alias: string | undefined, c: TokenColumn) => (alias ? `${alias}.${c}` : c);
const sumSql = (alias: string | undefined, cols: readonly TokenColumn[]) => `(${cols.map((c) => col(alias, c)).join(' + ')})`;

/** `input_tokens, output_tokens, …` (of table `alias`), in TOKEN_COLUMNS order. */
export const TOKEN_COLUMNS_SQL = (alias?: string): string => TOKEN_COLUMNS.map((c) => col(alias, c)).join(', ');
/** `SUM(input_tokens), SUM(output_tokens), …`, in TOKEN_COLUMNS order. */
export const SUM_TOKENS_SQL = (alias?: string): string => TOKEN_COLUMNS.map((c) => `SUM(${col(alias, c)})`).join(', ');
/** `promptTokens` of a row of `alias`, as a parenthesised SQL expression. */
export const PROMPT_TOKENS_SQL = (alias?: string): string => sumSql(alias, PROMPT_COLUMNS);
/** `totalTokens` of a row of `alias`, as a parenthesised SQL expression. */
export const TOTAL_TOKENS_SQL = (alias?: string): string => sumSql(alias, TOKEN_COLUMNS);

/**
 * The long-context class of a row of `alias`: how many of `thresholds` its prompt side exceeds
 * (lib/pricing's promptClasses). Thresholds are positive; prompts are integers, so truncating a
 * fractional threshold does not change which prompts exceed it.
 */
export const PROMPT_CLASS_SQL = (thresholds: readonly number[], alias?: string): string =>
  thresholds.length ? thresholds.map((t) => `(${PROMPT_TOKENS_SQL(alias)} > ${Math.trunc(t)})`).join(' + ') : '0';
