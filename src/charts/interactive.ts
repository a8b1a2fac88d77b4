/**
 * Upgrades a static chart to an interactive one (tooltips) the first time a reader points at it,
 * touches it or focuses it. vega-embed (~300 kB) is fetched only then, never on page load.
 */
import type { TopLevelSpec } from 'vega-lite';
import { withWidth } from './size.ts';
import { chartConfig } from './theme.ts';

function isDark(): boolean {
  return document.documentElement.dataset.theme === 'dark';
}

async function upgrade(figure: HTMLElement): Promise<void> {
  const canvas = figure.querySelector<HTMLElement>('.chart-canvas');
  const specText = figure.querySelector('script[data-chart-spec]')?.textContent;
  if (!canvas || !specText) return;
  figure.dataset.interactive = 'loading';
  const { default: embed } = await import('vega-embed');
  const target = document.createElement('div');
  target.className = 'chart-live';
  // The live chart takes the width the static one occupies on this screen.
  const spec = withWidth(JSON.parse(specText) as TopLevelSpec, Math.round(canvas.clientWidth));
  const result = await embed(target, spec, {
    actions: false,
    renderer: 'svg',
    config: chartConfig,
    tooltip: { theme: isDark() ? 'dark' : 'light' },
  });
  // Swap only once the live chart has drawn, so the static one never disappears early.
  canvas.replaceChildren(target);
  await result.view.resize().runAsync();
  figure.dataset.interactive = 'ready';
}

export function enhanceCharts(): void {
  for (const figure of document.querySelectorAll<HTMLElement>('figure.chart:not([data-interactive])')) {
    const start = () => {
      if (figure.dataset.interactive) return;
      upgrade(figure).catch((error: unknown) => {
        // The static chart stays; the reader loses only the tooltips.
        figure.dataset.interactive = 'failed';
        console.warn('Interactive chart unavailable:', error);
      });
    };
    for (const type of ['pointerenter', 'touchstart', 'focusin'] as const) {
      figure.addEventListener(type, start, { once: true, passive: true });
    }
  }
}
