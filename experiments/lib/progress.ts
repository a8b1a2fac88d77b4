/**
 * Progress display for experiment runs: a live bar with ETA on a terminal, plain lines elsewhere
 * (CI logs). The ETA is weighted by each unit's estimated cost, not by the count of units.
 */
import { SingleBar } from 'cli-progress';
import type { UnitEvent } from './runner.ts';

export interface Progress {
  start(experiment: string, key: string): void;
  unit(event: UnitEvent): void;
  log(line: string): void;
  stop(): void;
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

export function createProgress(interactive = Boolean(process.stdout.isTTY) && !process.env.CI): Progress {
  let started = performance.now();
  let firstFresh: { at: number; work: number } | undefined;
  const running = new Set<string>();
  const eta = (event: UnitEvent) => {
    // Measure speed only over work actually computed: cached units finish instantly.
    if (event.cached) return Number.NaN;
    firstFresh ??= { at: started, work: 0 };
    const elapsed = (performance.now() - firstFresh.at) / 1000;
    const rate = (event.workDone - firstFresh.work) / elapsed;
    return rate > 0 ? (1 - event.workDone) / rate : Number.NaN;
  };
  if (!interactive) {
    return {
      start: (_experiment, key) => running.add(key),
      unit(event) {
        running.delete(event.key);
        const what = event.cached ? 'cached' : `${event.seconds.toFixed(1)} s`;
        console.log(`${event.experiment}: [${event.done}/${event.total}] ${event.key} (${what}), ETA ${formatSeconds(eta(event))}`);
      },
      log: (line) => console.log(line),
      stop: () => {},
    };
  }
  const bar = new SingleBar({
    format: '{experiment} [{bar}] {value}/{total} units | ETA {eta_text} | {running}',
    barsize: 24,
    hideCursor: true,
    clearOnComplete: false,
  });
  let active = false;
  return {
    start(experiment, key) {
      running.add(key);
      if (!active) {
        started = performance.now();
        firstFresh = undefined;
        bar.start(1, 0, { experiment, eta_text: '?', running: '' });
        active = true;
      }
      bar.update({ running: [...running].join(', ') });
    },
    unit(event) {
      running.delete(event.key);
      if (!active) {
        bar.start(event.total, 0, { experiment: event.experiment, eta_text: '?', running: '' });
        active = true;
      }
      bar.setTotal(event.total);
      bar.update(event.done, { experiment: event.experiment, eta_text: formatSeconds(eta(event)), running: [...running].join(', ') });
    },
    log(line) {
      if (active) bar.stop();
      active = false;
      console.log(line);
    },
    stop() {
      if (active) bar.stop();
      active = false;
    },
  };
}
