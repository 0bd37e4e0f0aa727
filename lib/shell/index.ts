// lib/shell: quoting for each shell and the `ccx use` / `ccx init` snippets (see README.md).
export { isShell, quoteFor, quotePosix, SHELLS, type Shell } from './quote';
export { initSnippet, useSnippet } from './snippets';
