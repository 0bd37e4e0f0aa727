// Folds the many spellings of a model id onto its price-table family:
//   claude-sonnet-4-5-20250929, claude-sonnet-4-5@20250929 (Vertex),
//   us.anthropic.claude-sonnet-4-5-20250929-v1:0 (Bedrock), claude-3-5-sonnet-latest,
//   claude-opus-4-6[1m]  ->  claude-sonnet-4-5 / claude-3-5-sonnet / claude-opus-4-6;
//   OpenAI's dated ids: gpt-4.1-2025-04-14  ->  gpt-4.1;
//   OpenCode's provider/model ids and dotted versions: anthropic/claude-sonnet-4.5,
//   openai/gpt-5  ->  claude-sonnet-4-5 / gpt-5 (a dot is a dash in Claude's ids only: gpt-4.1 keeps it)
export function modelFamily(model: string): string {
  return model
    .trim()
    .toLowerCase()
    .replace(/^(?:[a-z]{2,4}\.)?anthropic\./, '')
    .replace(/^(?:anthropic|openai)\//, '')
    .replace(/^claude-.*$/, (id) => id.replace(/(\d)\.(\d)/g, '$1-$2'))
    .replace(/\[[^\]]*\]$/, '')
    .replace(/-v\d+(?::\d+)?$/, '')
    .replace(/[-@]\d{8}$/, '')
    .replace(/-\d{4}-\d{2}-\d{2}$/, '')
    .replace(/-latest$/, '');
}
