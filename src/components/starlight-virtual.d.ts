/**
 * Types for the two Starlight virtual modules that src/components/Search.astro (a copy of Starlight's
 * own) imports; Starlight provides the modules at build time but does not publish their types.
 */
declare module 'virtual:starlight/project-context' {
  const project: { build: { format: 'file' | 'directory' | 'preserve' }; root: URL; srcDir: URL; trailingSlash: 'always' | 'never' | 'ignore' };
  export default project;
}

declare module 'virtual:starlight/pagefind-config' {
  export const pagefindUserConfig: Record<string, unknown>;
}
