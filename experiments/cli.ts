/**
 * What every command-line script here does with its arguments: parse them, check each one before any
 * work starts, and on a mistake print one line naming the flag and what it accepts, then the usage,
 * and exit 2 (the code for "used wrongly", apart from 1 for "went wrong").
 *
 * Deliberately outside experiments/lib: files there are hashed into the experiment cache key, and how a
 * flag is checked has no bearing on any result.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface Cli {
  /** Prints `<program>: <message>`, a blank line and the usage to stderr, and exits 2. */
  fail(message: string): never;
  /** `parseArgs` (strict unless the config says otherwise), with its errors turned into {@link Cli.fail} lines. */
  parse<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>>;
  /** `value` as a whole number ≥ `min` (a digit string: no sign, decimals, exponent or hex), or fail. */
  wholeNumber(flag: string, value: string, min?: number): number;
  /** `value` if it is one of `accepted`, or fail naming them. */
  oneOf<T extends string>(flag: string, value: string, accepted: readonly T[]): T;
}

export function createCli(program: string, usage: string): Cli {
  const fail = (message: string): never => {
    console.error(`${program}: ${message}\n\n${usage}`);
    process.exit(2);
  };
  return {
    fail,
    parse(config) {
      try {
        return parseArgs(config);
      } catch (error) {
        return fail(parseArgsMessage(error));
      }
    },
    wholeNumber(flag, value, min = 1) {
      const result = checkWholeNumber(flag, value, min);
      return typeof result === 'number' ? result : fail(result);
    },
    oneOf(flag, value, accepted) {
      const result = checkOneOf(flag, value, accepted);
      return result.ok ? result.value : fail(result.message);
    },
  };
}

/** The number, or the one-line message saying what `flag` accepts. */
export function checkWholeNumber(flag: string, value: string, min = 1): number | string {
  const number = /^\d+$/.test(value) ? Number(value) : NaN;
  if (Number.isSafeInteger(number) && number >= min) return number;
  return `${flag} must be a whole number ≥ ${min}, not "${value}"`;
}

export function checkOneOf<T extends string>(flag: string, value: string, accepted: readonly T[]): { ok: true; value: T } | { ok: false; message: string } {
  if ((accepted as readonly string[]).includes(value)) return { ok: true, value: value as T };
  return { ok: false, message: `${flag} must be one of ${accepted.join(', ')}, not "${value}"` };
}

/** Node's parseArgs messages, shortened to what was wrong (the usage printed after them says the rest). */
export function parseArgsMessage(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  const text = String(message ?? error);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /'([^']+)'/.exec(text)?.[1];
    if (option) return `unknown option "${option}"`;
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const argument = /'([^']*)'/.exec(text)?.[1];
    if (argument !== undefined) return `unexpected argument "${argument}" (this command takes options only)`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    // "Option '--steps <value>' argument missing", "… argument is ambiguous", "Option '--json' does not take an argument"
    const option = /'(-[^' ]+)/.exec(text)?.[1];
    if (option && /does not take an argument/.test(text)) return `${option} takes no value`;
    if (option && /ambiguous/.test(text)) return `${option} needs a value (one that starts with "-" is written ${option}=VALUE)`;
    if (option) return `${option} needs a value`;
  }
  return text.split('\n')[0]!;
}
