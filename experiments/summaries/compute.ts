/** The numbers the compute lessons quote, from the compute experiment's rows and timings. */
import type { Row } from '../lib/schema.ts';
import type { ComputeConfig } from '../configs.ts';

/**
 * Time to the target accuracy and runs a day at a throughput, from the samples a finished run needed:
 * every backend does the same arithmetic, so it needs the same samples (used here for backends too slow
 * to finish, and by "Run it yourself" for the reader's own device, src/run/ui.ts).
 */
export function projectFromThroughput(samplesToTarget: number, samplesPerSecond: number): { secondsToTarget: number; experimentsPerDay: number } {
  const secondsToTarget = samplesToTarget / samplesPerSecond;
  return { secondsToTarget, experimentsPerDay: 86400 / secondsToTarget };
}

export function summarizeCompute(config: ComputeConfig, rows: Row[], timings: Row[]): { summary: Record<string, number>; notes: string[] } {
  const summary: Record<string, number> = { m: config.m };
  const notes: string[] = [];
  for (const row of rows.filter((r) => r.status === 'not available' && r.model === config.models[0]!.name)) {
    notes.push(`${row.backend}: not measured on this machine (${row.reason}).`);
  }
  const measured = [...new Set(rows.filter((r) => r.status === 'measured').map((r) => r.backend as string))];
  summary['backendsMeasured'] = measured.length;
  for (const { name, label, targetAccuracy } of config.models) {
    summary[`targetAccuracy.${name}`] = targetAccuracy;
    const own = timings.filter((t) => t.model === name);
    for (const t of own) {
      const key = `${t.backend}.${name}`;
      summary[`samplesPerSecond.${key}`] = t.samplesPerSecond as number;
      if (typeof t.secondsToTarget === 'number') {
        summary[`secondsToTarget.${key}`] = t.secondsToTarget;
        summary[`experimentsPerDay.${key}`] = t.experimentsPerDay as number;
        const row = rows.find((r) => r.backend === t.backend && r.model === name)!;
        summary[`epochsToTarget.${key}`] = row.epochsToTarget as number;
      }
    }
    // Every backend does the same arithmetic, so it needs the same number of samples to reach the
    // target (up to float rounding): a backend too slow to finish is projected from that count.
    const finished = own.find((t) => typeof t.secondsToTarget === 'number');
    if (finished) {
      const samples = (summary[`epochsToTarget.${finished.backend}.${name}`]! * config.m);
      summary[`samplesToTarget.${name}`] = samples;
      for (const t of own.filter((x) => typeof x.secondsToTarget !== 'number')) {
        const { secondsToTarget: projected, experimentsPerDay } = projectFromThroughput(samples, t.samplesPerSecond as number);
        summary[`projectedSecondsToTarget.${t.backend}.${name}`] = projected;
        summary[`projectedExperimentsPerDay.${t.backend}.${name}`] = experimentsPerDay;
        notes.push(`${t.backend} (${t.hardware}), ${label}: too slow to train to the target within the budget; projected ${(projected / 60).toFixed(0)} min from its throughput.`);
      }
    } else {
      notes.push(`${label}: no backend reached ${(100 * targetAccuracy).toFixed(1)}% validation accuracy within its budget.`);
    }
    // How much faster the fastest measured backend trains than plain JavaScript.
    const rate = (b: string) => summary[`samplesPerSecond.${b}.${name}`];
    const fastest = measured.reduce((a, b) => ((rate(b) ?? 0) > (rate(a) ?? 0) ? b : a), measured[0] ?? '');
    if (rate('cpu') && fastest && rate(fastest)) summary[`speedupOverPlainJs.${name}`] = rate(fastest)! / rate('cpu')!;
    if (rate('webgpu') && rate('wasm')) summary[`webgpuOverWasm.${name}`] = rate('webgpu')! / rate('wasm')!;
  }
  return { summary, notes };
}
