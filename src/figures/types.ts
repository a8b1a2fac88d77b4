/** What every figure gives the <Figure> component: one static SVG and its text alternative. */
export interface FigureBuild {
  /** The picture: scalable (a viewBox, no fixed size), coloured with currentColor and the chart palette. */
  svg: string;
  /** Text alternative, written from the same numbers the picture draws. */
  description: string;
}

export interface FigureDefinition {
  title: string;
  caption: string;
  /** Bibliography keys (src/content/bibliography.json) of the curated values it draws, listed under it. */
  citations?: string[];
  build(): Promise<FigureBuild>;
}
