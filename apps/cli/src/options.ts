import { helpText, type OptionSpec } from '@jupyter-mcp/app-core';
import { type Command, Option } from 'commander';

/** Add app-core option specs to a commander command: `--help` shows each with its default and env. No
 *  commander defaults are set, so `loadConfig` can tell a flag from a default (flags > env > file). */
export function addOptions(cmd: Command, specs: readonly OptionSpec[]): Command {
  for (const spec of specs) {
    const option = new Option(spec.flag, helpText(spec));
    if (spec.repeatable)
      option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
    cmd.addOption(option);
  }
  return cmd;
}
