// lib/inbox: the JSONL inbox hooks append to and the consolidator claims (see README.md).
export { appendInbox, newEventId } from './append';
export { CLAIM_SETTLE_MS, claimedAt, claimInbox, type ParsedInbox, parseInboxFile, removeClaimed } from './claim';
