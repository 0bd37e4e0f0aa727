// lib/inbox: the JSONL inbox hooks append to and the consolidator claims (see README.md).
export { appendInbox, appendInboxAsync, newEventId } from './append';
export { CLAIM_SETTLE_MS, CLAIMED_INBOX_RE, claimedAt, claimInbox, removeClaimed } from './claim';
export { type QuarantineEntry, quarantineLine } from './quarantine';
export { type InboxLine, InboxReader, MAX_LINE_BYTES } from './read';
export { importSpool, SPOOL_SETTLE_MS, type SpoolStats } from './spool';
