// Shared set-up for the transcript and pricing suites: temp dirs, a fresh state.db, profiles,
// and line builders that write what Claude Code writes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Profile, profileConfigSchema } from '../../lib/contracts/profile';
import { type Db, openDb } from '../../lib/store/open';

export const FIXTURES = join(__dirname, '..', '..', 'test', 'fixtures', 'transcripts');

export function tempDir(t: { after(fn: () => void): void }, prefix = 'ccx-tx-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function freshDb(t: { after(fn: () => void): void }, dir: string): Db {
  const db = openDb(join(dir, 'state.db'));
  t.after(() => db.close());
  return db;
}

export function profile(name: string, configDir: string): Profile {
  return { ...profileConfigSchema.parse({ config_dir: configDir }), name } as Profile;
}

export type LineSpec = {
  id: string;
  req?: string | null;
  session?: string;
  cwd?: string;
  ts?: string;
  model?: string;
  input?: number;
  output?: number;
  cacheRead?: number;
  cache5m?: number;
  cache1h?: number;
  sidechain?: boolean;
};

/** One assistant line as Claude Code writes it, '\n' included. */
export function assistantLine(s: LineSpec): string {
  const usage: Record<string, unknown> = { input_tokens: s.input ?? 1, output_tokens: s.output ?? 1 };
  if (s.cacheRead !== undefined) usage.cache_read_input_tokens = s.cacheRead;
  if (s.cache5m !== undefined || s.cache1h !== undefined) {
    usage.cache_creation_input_tokens = (s.cache5m ?? 0) + (s.cache1h ?? 0);
    usage.cache_creation = { ephemeral_5m_input_tokens: s.cache5m ?? 0, ephemeral_1h_input_tokens: s.cache1h ?? 0 };
  }
  const line: Record<string, unknown> = {
    type: 'assistant',
    sessionId: s.session ?? 'sess',
    cwd: s.cwd ?? '/work/p',
    timestamp: s.ts ?? '2025-10-01T00:00:00.000Z',
    message: { id: s.id, model: s.model ?? 'claude-sonnet-4-5-20250929', content: [{ type: 'text', text: 'x' }], usage },
  };
  if (s.req !== null) line.requestId = s.req ?? `req-${s.id}`;
  if (s.sidechain) line.isSidechain = true;
  return `${JSON.stringify(line)}\n`;
}

export type LedgerRow = {
  profile: string;
  dedup_key: string;
  session_id: string;
  project: string;
  model: string;
  ts: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_creation_5m_tokens: number;
  cache_creation_1h_tokens: number;
  is_sidechain: number;
};

export function ledgerRows(db: Db, profileName?: string): LedgerRow[] {
  const sql = `SELECT profile, dedup_key, session_id, project, model, ts, input_tokens, output_tokens, cache_read_tokens,
    cache_creation_5m_tokens, cache_creation_1h_tokens, is_sidechain FROM usage
    ${profileName ? 'WHERE profile = ?' : ''} ORDER BY profile, dedup_key`;
  return (profileName ? db.prepare(sql).all(profileName) : db.prepare(sql).all()) as LedgerRow[];
}

export function totals(db: Db, profileName: string) {
  return db
    .prepare(
      `SELECT COUNT(*) AS rows, SUM(input_tokens) AS input, SUM(output_tokens) AS output, SUM(cache_read_tokens) AS cacheRead,
        SUM(cache_creation_5m_tokens) AS cache5m, SUM(cache_creation_1h_tokens) AS cache1h FROM usage WHERE profile = ?`,
    )
    .get(profileName) as { rows: number; input: number; output: number; cacheRead: number; cache5m: number; cache1h: number };
}

/** A scan clock after every line randomTranscript writes (later ones would be skipped as out of range). */
export const TRANSCRIPT_NOW = Date.UTC(2026, 0, 1);

/** A transcript of random lines: few message ids (many copies), sidechains, malformed and non-usage lines, cost states. */
export function randomTranscript(r: () => number): string {
  const lines: string[] = [];
  const n = 5 + Math.floor(r() * 40);
  for (let i = 0; i < n; i++) {
    const id = `m${Math.floor(r() * 12)}`; // few ids: many duplicates
    const kind = r();
    if (kind < 0.08) lines.push('{"type":"assistant","message":{"usage":{"input_tok\n');
    else if (kind < 0.15) lines.push(`${JSON.stringify({ type: 'user', message: { content: `é∂ unicode ${i}` } })}\n`);
    else if (kind < 0.2)
      lines.push(
        `${JSON.stringify({
          type: 'cost-state',
          sessionId: 's',
          timestamp: `2025-10-01T00:00:${String(i % 60).padStart(2, '0')}.000Z`,
          totalCostUSD: i,
        })}\n`,
      );
    else {
      lines.push(
        assistantLine({
          id,
          req: r() < 0.2 ? null : `r${id}`,
          input: Math.floor(r() * 100),
          output: Math.floor(r() * 100),
          cacheRead: Math.floor(r() * 1000),
          cache1h: r() < 0.3 ? Math.floor(r() * 50) : undefined,
          sidechain: r() < 0.25,
          ts: `2025-10-01T00:${String(Math.floor(r() * 60)).padStart(2, '0')}:00.000Z`,
        }),
      );
    }
  }
  return lines.join('');
}
