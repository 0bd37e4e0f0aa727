// Who a quota figure is from, named the same in the warning, the status line and the reports.
import type { QuotaSource } from '../contracts/quota';

const SOURCE_LABEL: Record<QuotaSource, string> = {
  'claude-code': 'Claude Code',
  codex: 'Codex',
  calibrated: 'calibrated',
  estimate: 'ccx estimate',
  ledger: 'ccx ledger',
};

/** "Claude Code", "Codex", "calibrated", "ccx estimate", "ccx ledger". */
export const sourceLabel = (source: QuotaSource): string => SOURCE_LABEL[source];
