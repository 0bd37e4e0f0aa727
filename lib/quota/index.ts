// lib/quota: windows, bands, availability, ranking and the warning text (see README.md).
export { type RealWindow, SAMPLE_MAX_AGE_MS } from './calibration';
export { computeSnapshot, type QuotaContext } from './engine';
export { AGENT_NAME, type AgentQuota, agentsQuotaLine, noBetterProfile, switchHint } from './message';
export {
  type Candidate,
  DEFAULT_AGENT,
  FAILURE_WEIGHT,
  MIN_HEADROOM_LEAD_PCT,
  MIN_SUGGESTED_HEADROOM_PCT,
  PRIORITY_WEIGHT,
  rivalsOf,
} from './rank';
export { type RateLimitFigure, type RateLimitWriter, rateLimitWriter } from './rate-limits';
