import { Option } from 'nest-commander';

/** One option of a command: commander's flags and help line, and how its text becomes the value. */
export interface OptionSpec {
  /** `--out <file>` takes a value; `--json` is a switch. */
  readonly flags: string;
  readonly description: string;
  /** Default: the text as given for an option with a value, `true` for a switch. */
  readonly parse?: (text: string) => string | number | boolean;
}

/**
 * A command's options from one table, instead of a decorated pass-through method per option: each entry
 * becomes a `parse<Flag>` method of the command carrying nest-commander's own `@Option` metadata, which its
 * discovery finds like a hand-written one (it reads the metadata off the prototype's methods). Each method is
 * a function of its own: the metadata is stored on the function.
 */
export function CommandOptions(...options: readonly OptionSpec[]): (target: { prototype: object }) => void {
  return (target) => {
    for (const { flags, description, parse } of options) {
      const long = /--([\w-]+)/.exec(flags)?.[1];
      if (long === undefined) throw new Error(`option ${flags}: no --long flag`);
      const takesValue = /[<[]/.test(flags);
      const method = (text: string): string | number | boolean =>
        parse ? parse(text) : takesValue ? text : true;
      const name = `parse${long.replace(/(?:^|-)(\w)/g, (_, c: string) => c.toUpperCase())}`;
      const descriptor: PropertyDescriptor = { value: method, writable: true, configurable: true };
      Object.defineProperty(target.prototype, name, descriptor);
      Option({ flags, description })(target.prototype, name, descriptor);
    }
  };
}
