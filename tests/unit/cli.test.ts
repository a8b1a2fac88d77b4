/** The shared argument checks of the experiment scripts (experiments/cli.ts). */
import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { checkOneOf, checkWholeNumber, parseArgsMessage } from '../../experiments/cli.ts';

describe('checkWholeNumber', () => {
  it.each(['1', '40', '007'])('accepts %j', (value) => expect(checkWholeNumber('--steps', value)).toBe(Number(value)));
  it.each(['', 'abc', '0', '-1', '1.5', '1e3', '0x10', ' 4', '4 ', 'Infinity', '99999999999999999999'])('refuses %j, naming the flag', (value) =>
    expect(checkWholeNumber('--steps', value)).toBe(`--steps must be a whole number ≥ 1, not "${value}"`),
  );
  it('takes a lower bound', () => {
    expect(checkWholeNumber('--n', '0', 0)).toBe(0);
    expect(checkWholeNumber('--n', '2', 3)).toBe('--n must be a whole number ≥ 3, not "2"');
  });
});

describe('checkOneOf', () => {
  it('accepts a listed value and names every accepted one otherwise', () => {
    expect(checkOneOf('--backend', 'cpu', ['auto', 'cpu'])).toEqual({ ok: true, value: 'cpu' });
    expect(checkOneOf('--backend', 'gpu', ['auto', 'cpu'])).toEqual({ ok: false, message: '--backend must be one of auto, cpu, not "gpu"' });
  });
});

describe('parseArgsMessage', () => {
  const message = (args: string[]) => {
    try {
      parseArgs({ args, strict: true, options: { steps: { type: 'string' }, json: { type: 'boolean' } } });
    } catch (error) {
      return parseArgsMessage(error);
    }
    throw new Error('parsed');
  };
  it.each([
    [['--bogus'], 'unknown option "--bogus"'],
    [['-x'], 'unknown option "-x"'],
    [['word'], 'unexpected argument "word" (this command takes options only)'],
    [['--steps'], '--steps needs a value'],
    [['--steps', '-2'], '--steps needs a value (one that starts with "-" is written --steps=VALUE)'],
    [['--json=1'], '--json takes no value'],
  ])('%j → %j', (args, expected) => expect(message(args)).toBe(expected));
});
