import { readFileSync } from 'node:fs';

/** Set by the bundler from apps/cli/package.json at build time (scripts/bundle.mjs). */
declare const __JUPYTER_MCP_VERSION__: string | undefined;

/** The jupyter-mcp package version: fixed at build time in the bundle; from package.json otherwise. */
export function packageVersion(): string {
  if (typeof __JUPYTER_MCP_VERSION__ === 'string') return __JUPYTER_MCP_VERSION__;
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
