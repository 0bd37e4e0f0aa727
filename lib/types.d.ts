// esbuild embeds .yaml files as text (see scripts/build.mjs).
declare module '*.yaml' {
  const text: string;
  export default text;
}
