import { describe, expect, it } from 'vitest';
import { createJupyterRuntime, createLogger, loadConfig } from '../src/index.js';

const logger = () => createLogger({ level: 'silent', write: () => {} });

describe('createJupyterRuntime', () => {
  it('refuses to stop the embedded server while another MCP session uses it', async () => {
    const rt = createJupyterRuntime({
      config: loadConfig({ env: {}, cwd: '/nonexistent-root' }),
      logger: logger(),
      env: {},
    });
    expect(rt.server.enabled).toBe(true);
    rt.sessions.add('a');
    rt.sessions.add('b');
    await expect(rt.server.stop('a')).rejects.toMatchObject({ code: 'IN_USE' });
    rt.sessions.delete('b');
    await expect(rt.server.stop('a')).resolves.toBeUndefined();
  });

  it('does not start or stop an external server', async () => {
    const rt = createJupyterRuntime({
      config: loadConfig({ env: { JUPYTER_URL: 'http://127.0.0.1:9/', JUPYTER_TOKEN: 'tok-123456' } }),
      logger: logger(),
      env: {},
    });
    expect(rt.server.enabled).toBe(false);
    await expect(rt.server.start()).rejects.toMatchObject({ code: 'NOT_MANAGED' });
    await expect(rt.server.stop('a')).rejects.toMatchObject({ code: 'NOT_MANAGED' });
    expect(rt.access.describe()).toMatchObject({
      mode: 'external',
      url: 'http://127.0.0.1:9/',
      state: 'unchecked',
    });
  });

  it('reports a missing root as an unavailable finding with the fix', async () => {
    const rt = createJupyterRuntime({
      config: loadConfig({ env: {}, cwd: '/nonexistent-root' }),
      logger: logger(),
      env: { PATH: '/nonexistent-bin' },
      cwd: '/nonexistent-root',
    });
    await expect(rt.access.connection()).rejects.toMatchObject({
      code: 'JUPYTER_UNAVAILABLE',
      finding: { code: 'jupyter-not-installed', fix: expect.stringContaining('pip install') },
    });
    expect(rt.access.describe()).toMatchObject({ mode: 'managed', state: 'unavailable' });
  });
});
