/**
 * What tuning chose and how much the stopping rule decides, for the summaries of the trial grids
 * (scale, model-size): the chosen setting per model and size (flagged at a grid edge), and, where the
 * trials also trained on with a doubled patience, how far that moves each model's accuracy and the
 * models' order, against the spread over seeds.
 */
import type { Row } from '../lib/schema.ts';

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

export function tuningSummary(rows: Row[], models: string[], sizes: number[], notes: string[]): Record<string, number> {
  const summary: Record<string, number> = {};
  let edges = 0;
  let tuned = 0;
  for (const model of models)
    for (const m of sizes) {
      const kernel = rows.filter((r) => r.kind === undefined && r.model === model && r.m === m && typeof r.gammaAtEdge === 'boolean');
      if (kernel.length) {
        // The kernel SVM chooses γ and C seed by seed: the first seed's choice, and how many seeds chose an edge.
        tuned++;
        summary[`tuned.${model}.${m}.gamma`] = kernel[0]!.gamma as number;
        summary[`tuned.${model}.${m}.C`] = kernel[0]!.C as number;
        const atEdge = kernel.filter((r) => r.gammaAtEdge || r.CAtEdge).length;
        if (atEdge) {
          edges++;
          notes.push(`Tuning: ${model} at m = ${m} chose γ or C at the edge of its grid in ${atEdge} of ${kernel.length} seeds; a wider grid might do better.`);
        }
        continue;
      }
      const chosen = rows.find((r) => r.kind === undefined && r.model === model && r.m === m && typeof r.learningRateAtEdge === 'boolean');
      if (!chosen) continue;
      tuned++;
      summary[`tuned.${model}.${m}.learningRate`] = chosen.learningRate as number;
      if (typeof chosen.l2 === 'number') summary[`tuned.${model}.${m}.l2`] = chosen.l2;
      const atEdge = [chosen.learningRateAtEdge && 'learning rate', chosen.l2AtEdge && 'L2 penalty'].filter(Boolean);
      if (atEdge.length) {
        edges++;
        notes.push(`Tuning: ${model} at m = ${m} chose a ${atEdge.join(' and a ')} at the edge of its grid (learning rate ${chosen.learningRate}, L2 ${chosen.l2 ?? 'none'}); a wider grid might do better.`);
      }
    }
  if (tuned) {
    summary['tuned.cells'] = tuned;
    summary['tuned.atEdge'] = edges;
  }
  return summary;
}

/**
 * The stopping rule's sensitivity at each size where trials trained on with a longer patience: the
 * mean change of each model's test accuracy, the largest change over models, whether the models'
 * order by mean accuracy changed, and the largest seed spread, to compare the change with.
 */
export function stoppingSensitivity(rows: Row[], models: string[], notes: string[]): Record<string, number> {
  const summary: Record<string, number> = {};
  const checks = rows.filter((r) => r.kind === 'stopping');
  const sizes = [...new Set(checks.map((r) => r.m as number))].sort((a, b) => a - b);
  for (const m of sizes) {
    const present = models.filter((model) => checks.some((r) => r.model === model && r.m === m));
    const at = (model: string) => checks.filter((r) => r.model === model && r.m === m);
    let largestShift = 0;
    let largestSpread = 0;
    for (const model of present) {
      const shift = mean(at(model).map((r) => (r.testAccuracy as number) - (r.ruleTestAccuracy as number)));
      const rule = at(model).map((r) => r.ruleTestAccuracy as number);
      summary[`stopping.${m}.${model}.shift`] = shift;
      summary[`stopping.${m}.${model}.epochsMore`] = mean(at(model).map((r) => (r.keptEpoch as number) - (r.ruleKeptEpoch as number)));
      largestShift = Math.max(largestShift, Math.abs(shift));
      largestSpread = Math.max(largestSpread, Math.max(...rule) - Math.min(...rule));
    }
    const order = (field: string) => [...present].sort((a, b) => mean(at(b).map((r) => r[field] as number)) - mean(at(a).map((r) => r[field] as number))).join('>');
    const reordered = order('testAccuracy') !== order('ruleTestAccuracy');
    summary[`stopping.${m}.patience`] = checks[0]!.patience as number;
    summary[`stopping.${m}.largestShift`] = largestShift;
    summary[`stopping.${m}.largestSeedSpread`] = largestSpread;
    summary[`stopping.${m}.reordered`] = reordered ? 1 : 0;
    notes.push(
      `Stopping rule at m = ${m}: with patience ${checks[0]!.patience} instead of the rule's, mean test accuracies move by at most ${(100 * largestShift).toFixed(2)} points (the largest seed spread is ${(100 * largestSpread).toFixed(2)})` +
        `${reordered ? ' and the models change order' : ' and the models keep their order'}${largestShift > largestSpread ? ': the rule still decides results here.' : '.'}`,
    );
  }
  return summary;
}
