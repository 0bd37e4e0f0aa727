// scripts/build.mjs parses .yaml files at build time and embeds the result as JSON.
declare module '*.yaml' {
  const value: unknown;
  export default value;
}
