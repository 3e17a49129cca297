/**
 * `custom-elements-manifest analyze` settings: the element, its attribute base class and its
 * events go into `dist/custom-elements.json` (editors and Storybook read it). package.json names
 * the manifest itself, so the analyzer must not rewrite it.
 */
export default {
  globs: ['src/parley-voice.ts', 'src/parley-voice-attributes.ts', 'src/events/*.ts'],
  exclude: ['src/**/*.test.ts'],
  outdir: 'dist',
  litelement: true,
  packagejson: false,
};
