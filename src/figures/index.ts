/** Every figure a lesson may embed with <Figure id>: pictures built at build time to give intuition. */
import { formatCount } from '../charts/format.ts';
import { boundaryFigure, SETUP } from './boundaries.ts';
import { HUMAN_HOURS, loopFigure } from './loop.ts';
import { rooflineCaption, rooflineCitations, rooflineFigure } from './roofline.ts';
import { saturationCaption, saturationFigure } from './saturation.ts';
import type { FigureDefinition } from './types.ts';

export const figures = {
  'capacity-boundaries': {
    title: 'Three models, the same points, three boundaries',
    caption: `Logistic regression, an RBF-kernel SVM and a small neural network, each trained on the same ${SETUP.points} points when this site was built. The shaded side is where a model says “orange”. A linear model can only draw a straight line; the SVM and the network bend theirs around the data. Each header gives the share of training points and of ${formatCount(SETUP.testPoints)} new points from the same moons it gets right: in this one draw of points (one run of each model, no seeds), the network fits its training points best, but the kernel SVM generalises best.`,
    build: boundaryFigure,
  },
  'sigmoid-saturation': {
    title: 'Where the sigmoid stops passing gradient back',
    // The network's settings read from the saturation experiment's config when first read.
    get caption() {
      return saturationCaption();
    },
    build: saturationFigure,
  },
  'iteration-loop': {
    title: 'The loop that training speed sets the pace of',
    caption:
      'Every idea is tested by an experiment, and its result suggests the next idea. The experiment here is our convolutional network trained to its target on one processor core; only the backend doing the arithmetic differs. ' +
      `The turns a day assume ${HUMAN_HOURS} hour of thinking and coding per turn, an assumption rather than a measurement: 24 hours over that plus the run. Once a run is shorter than the thinking, a faster one changes little.`,
    build: loopFigure,
  },
  roofline: {
    title: 'Our training steps are held back by memory, not by a GPU’s tensor cores',
    // Counted from the compute experiment's models when first read.
    get caption() {
      return rooflineCaption();
    },
    citations: rooflineCitations(),
    build: rooflineFigure,
  },
} satisfies Record<string, FigureDefinition>;

export type FigureId = keyof typeof figures;
export const figureIds = Object.keys(figures) as [FigureId, ...FigureId[]];

export function getFigure(id: string, where: string): FigureDefinition {
  if (id in figures) return figures[id as FigureId];
  throw new Error(`${where} refers to figure "${id}", which does not exist. Known figures: ${figureIds.join(', ')} (see src/figures/index.ts).`);
}
