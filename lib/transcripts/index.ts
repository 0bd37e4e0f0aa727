// lib/transcripts: the incremental transcript scanner and its usage ledger (see README.md).

export { listTranscripts, projectsDir } from './files';
export { type ScanOpts, type ScanStats, scanProfiles } from './scan';
