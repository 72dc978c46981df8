import type { AppConfig } from '@jupyter-mcp/app-core';
import { ExitError } from '../errors.js';
import type { CliIo } from '../io.js';

/** `jupyter-mcp http`: Streamable HTTP transport (apps/http wires it; placeholder until it lands). */
export async function httpCommand(_config: AppConfig, io: CliIo): Promise<number> {
  io.stderr.write(
    'jupyter-mcp: the http transport is not available in this build yet; use stdio (the default).\n',
  );
  throw new ExitError(1);
}
