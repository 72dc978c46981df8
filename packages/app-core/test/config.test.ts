import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, resolveOptions } from '../src/index.js';

const files = (map: Record<string, string>) => (path: string) => {
  const v = map[path];
  if (v === undefined) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
  return v;
};

describe('loadConfig', () => {
  it('gives the defaults with nothing set', () => {
    const c = loadConfig({ flags: {}, env: {}, cwd: '/w' });
    expect(c.url).toBeUndefined();
    expect(c.root).toBe('/w');
    expect(c.executionTimeoutS).toBe(120);
    expect(c.outputLimit).toBe(20_000);
    expect(c.readOnly).toBe(false);
    expect(c.logLevel).toBe('info');
    expect(c.auth).toBe('auto');
    expect(c.headers).toEqual({});
    expect(c.sources.executionTimeout).toBe('default');
  });

  it('orders flags > env > config file > defaults', () => {
    const readFile = files({
      '/w/c.json': JSON.stringify({ executionTimeout: 5, outputLimit: 7, logLevel: 'debug', readOnly: true }),
    });
    const c = loadConfig({
      flags: { config: 'c.json', executionTimeout: '9' },
      env: { JUPYTER_MCP_EXECUTION_TIMEOUT: '8', JUPYTER_MCP_OUTPUT_LIMIT: '6' },
      cwd: '/w',
      readFile,
    });
    expect(c.executionTimeoutS).toBe(9);
    expect(c.outputLimit).toBe(6);
    expect(c.logLevel).toBe('debug');
    expect(c.readOnly).toBe(true);
    expect(c.sources).toMatchObject({ executionTimeout: 'flag', outputLimit: 'env', logLevel: 'file' });
    expect(c.configFile).toBe('/w/c.json');
  });

  it('reads the config file path from JUPYTER_MCP_CONFIG and resolves its paths against it', () => {
    const c = loadConfig({
      env: { JUPYTER_MCP_CONFIG: '/etc/j/cfg.json' },
      cwd: '/w',
      readFile: files({ '/etc/j/cfg.json': '{"root": "nb", "tools": ["read_cell", "list_files"]}' }),
    });
    expect(c.root).toBe('/etc/j/nb');
    expect(c.tools).toEqual(['read_cell', 'list_files']);
  });

  it('reads connection settings: url, token file, password env, repeatable headers', () => {
    const c = loadConfig({
      flags: {
        url: 'http://h:8888/lab',
        tokenFile: 't.txt',
        passwordEnv: 'MY_PW',
        header: ['X-A: 1', 'X-B: two: parts'],
      },
      env: { MY_PW: 'sekrit-pw' },
      cwd: '/w',
      readFile: files({ '/w/t.txt': ' abc123 \n' }),
    });
    expect(c.url).toBe('http://h:8888/lab');
    expect(c.token).toBe('abc123');
    expect(c.password).toBe('sekrit-pw');
    expect(c.headers).toEqual({ 'X-A': '1', 'X-B': 'two: parts' });
  });

  it('takes JUPYTER_URL and JUPYTER_TOKEN from the environment', () => {
    const c = loadConfig({ env: { JUPYTER_URL: 'http://127.0.0.1:1/', JUPYTER_TOKEN: 'tok-1' } });
    expect(c.url).toBe('http://127.0.0.1:1/');
    expect(c.token).toBe('tok-1');
  });

  it('parses lists and booleans from env', () => {
    const c = loadConfig({ env: { JUPYTER_MCP_DISABLED_TOOLS: 'a, b,c', JUPYTER_MCP_READ_ONLY: 'yes' } });
    expect(c.disabledTools).toEqual(['a', 'b', 'c']);
    expect(c.readOnly).toBe(true);
  });

  it.each([
    [{ flags: { executionTimeout: 'soon' } }, /--execution-timeout: expected a positive number/],
    [{ env: { JUPYTER_MCP_OUTPUT_LIMIT: '-3' } }, /JUPYTER_MCP_OUTPUT_LIMIT: expected a positive number/],
    [{ env: { JUPYTER_MCP_LOG_LEVEL: 'loud' } }, /unknown log level 'loud'/],
    [{ flags: { url: 'not a url' } }, /--url: 'not a url' is not a URL/],
    [{ flags: { header: ['nocolon'] } }, /expected a header as 'Name: value'/],
    [{ flags: { passwordEnv: 'PW' }, env: {} }, /PW is not set/],
    [{ flags: { tokenFile: '/none' } }, /token file \/none: cannot read it \(ENOENT\)/],
    [{ flags: { config: '/none.json' } }, /config file \/none.json: cannot read it/],
    [{ env: { JUPYTER_MCP_READ_ONLY: 'maybe' } }, /expected true or false/],
    [{ flags: { auth: 'magic' } }, /unknown auth method 'magic'/],
  ])('rejects invalid input with one clear line (%#)', (input, re) => {
    let err: unknown;
    try {
      loadConfig({ readFile: files({}), ...input });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe('CONFIG_INVALID');
    expect((err as Error).message).toMatch(re);
    expect((err as Error).message).not.toContain('\n');
  });

  it('rejects a config file that is not a JSON object', () => {
    expect(() => loadConfig({ flags: { config: '/c.json' }, readFile: files({ '/c.json': '[1]' }) })).toThrow(
      /expected a JSON object/,
    );
    expect(() => loadConfig({ flags: { config: '/c.json' }, readFile: files({ '/c.json': '{' }) })).toThrow(
      /not valid JSON/,
    );
  });

  it('reports unknown config-file keys and keeps extra options apps add', () => {
    const r = resolveOptions({
      flags: { config: '/c.json' },
      readFile: files({ '/c.json': '{"excutionTimeout": 3}' }),
    });
    expect(r.unknownFileKeys).toEqual(['excutionTimeout']);
  });
});
