/** Who is rendering: used so build errors name the lesson file an author has to fix. */
interface StarlightLocals {
  starlightRoute?: { entry?: { filePath?: string; data?: { charts?: string[] } } };
}

export function lessonName(locals: unknown, url: URL): { label: string; declaredCharts?: string[] } {
  let entry: NonNullable<StarlightLocals['starlightRoute']>['entry'];
  try {
    entry = (locals as StarlightLocals).starlightRoute?.entry;
  } catch {
    // Starlight throws when its route data is read outside one of its pages.
    entry = undefined;
  }
  const label = entry?.filePath ? `Lesson ${entry.filePath}` : `Page ${url.pathname}`;
  return { label, declaredCharts: entry?.data?.charts };
}
