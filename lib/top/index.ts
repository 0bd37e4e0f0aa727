// lib/top: `ccx top` (and `ccx-report blocks --live`), the live view in the terminal (see README.md).
export { runTop, type TopIO, type TopOptions } from './loop';
export { windowProjection } from './projection';
export { createReader } from './read';
export { renderTop } from './render';
export type { TopData, TopProfile, TopState } from './state';
