/**
 * KaTeX's stylesheet (and so its fonts) only on pages with math: a remark plugin, run after remark-math,
 * that adds `import 'katex/dist/katex.min.css'` to every MDX lesson holding a math node. Astro then
 * bundles the stylesheet with those pages alone. (In a plain .md file there is nowhere to put an import:
 * the site has none; one with math would need the stylesheet added to its page.)
 */
const KATEX_CSS = 'katex/dist/katex.min.css';

/** True if the tree holds `$…$` or `$$…$$` math (remark-math's node types). */
function hasMath(node) {
  if (node.type === 'math' || node.type === 'inlineMath') return true;
  return Array.isArray(node.children) && node.children.some(hasMath);
}

export default function remarkMathStylesheet() {
  return (tree, file) => {
    if (!hasMath(tree) || !/\.mdx$/.test(file.path ?? '')) return;
    const source = { type: 'Literal', value: KATEX_CSS, raw: JSON.stringify(KATEX_CSS) };
    tree.children.unshift({
      type: 'mdxjsEsm',
      value: `import ${JSON.stringify(KATEX_CSS)};`,
      data: {
        estree: {
          type: 'Program',
          sourceType: 'module',
          body: [{ type: 'ImportDeclaration', specifiers: [], attributes: [], source }],
        },
      },
    });
  };
}
