import { JupyterConnection } from '@jupyter-mcp/jupyter-auth';
import { type JupyterServerHandle, startJupyter } from '@jupyter-mcp/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KernelClient, KernelClientError } from '../../src/index.js';

let server: JupyterServerHandle;
let client: KernelClient;

beforeAll(async () => {
  server = await startJupyter();
  client = new KernelClient({ connection: new JupyterConnection({ url: server.url, token: server.token }) });
});

afterAll(async () => {
  await client?.close();
  await server?.stop();
});

async function rejection(p: Promise<unknown>): Promise<KernelClientError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(KernelClientError);
    return err as KernelClientError;
  }
  throw new Error('expected a rejection');
}

describe('discovery and lifecycle (real server)', () => {
  it('lists kernelspecs with the default', async () => {
    const specs = await client.listKernelSpecs();
    expect(specs.default).toBe('python3');
    expect(specs.specs).toContainEqual({
      name: 'python3',
      displayName: expect.any(String),
      language: 'python',
    });
  });

  it('starts, lists, attaches to, restarts and shuts down a kernel', async () => {
    const k = await client.startKernel({ name: 'python3' });
    expect(k.name).toBe('python3');
    expect(k.languageInfo.name).toBe('python');
    const listed = (await client.listKernels()).find((x) => x.id === k.id);
    expect(listed).toMatchObject({ id: k.id, name: 'python3', connections: 1 });
    expect(listed?.executionState).toMatch(/idle|busy|starting/);

    await k.execute('x = 41');
    const other = await client.attachKernel(k.id);
    expect((await other.execute('x + 1')).outputs[0]).toMatchObject({ data: { 'text/plain': '42' } });
    other.dispose();

    const st = await k.status();
    expect(st).toMatchObject({
      id: k.id,
      name: 'python3',
      connection: 'connected',
      stuck: false,
      pending: 0,
    });

    // An execution queued while the restart is in flight runs on the restarted kernel.
    const restarting = k.restart();
    const queued = k.execute('"x" in globals()');
    await restarting;
    expect((await queued).outputs[0]).toMatchObject({ data: { 'text/plain': 'False' } });
    const after = await k.execute('x');
    expect(after.status).toBe('error');
    expect(after.error?.ename).toBe('NameError');

    await k.shutdown();
    expect((await client.listKernels()).some((x) => x.id === k.id)).toBe(false);
    expect((await rejection(k.execute('1'))).code).toBe('DISPOSED');
    expect((await rejection(client.attachKernel(k.id))).code).toBe('KERNEL_NOT_FOUND');
  });

  it('binds a kernel to a notebook as a session visible in /api/sessions and finds it again', async () => {
    const k = await client.startKernel({ notebookPath: '/work/analysis.ipynb' });
    try {
      expect(k.sessionId).toBeTruthy();
      expect(k.notebookPath).toBe('work/analysis.ipynb');
      const raw = await client.connection.json<{ path: string; kernel: { id: string } }[]>(
        'GET',
        'api/sessions',
      );
      expect(raw).toContainEqual(
        expect.objectContaining({
          path: 'work/analysis.ipynb',
          kernel: expect.objectContaining({ id: k.id }),
        }),
      );
      const sessions = await client.listSessions();
      expect(sessions).toContainEqual(
        expect.objectContaining({
          id: k.sessionId,
          path: 'work/analysis.ipynb',
          type: 'notebook',
          kernel: expect.objectContaining({ id: k.id }),
        }),
      );
      const found = await client.findKernelForNotebook('work/analysis.ipynb');
      expect(found?.id).toBe(k.id);
      expect(found?.sessionId).toBe(k.sessionId);
      found?.dispose();
      expect(await client.findKernelForNotebook('nope.ipynb')).toBeUndefined();
    } finally {
      await k.shutdown();
    }
    expect((await client.listSessions()).some((s) => s.id === k.sessionId)).toBe(false);
  });

  it('names an unknown kernelspec and an unknown kernel id', async () => {
    const spec = await rejection(client.startKernel({ name: 'no-such-kernel' }));
    expect(spec.code).toBe('KERNELSPEC_NOT_FOUND');
    expect(spec.message).toContain('no-such-kernel');
    const missing = await rejection(client.attachKernel('00000000-0000-0000-0000-000000000000'));
    expect(missing.code).toBe('KERNEL_NOT_FOUND');
    expect(missing.message).toMatch(/listKernels/);
  });

  it('hands out pre-started pool kernels, refills, and reclaims the rest on close', async () => {
    const before = new Set((await client.listKernels()).map((k) => k.id));
    const pooled = new KernelClient({ connection: client.connection, pool: { size: 1 } });
    await pooled.warmPool();
    expect(pooled.poolSize()).toEqual({ python3: 1 });
    const warm = (await client.listKernels()).filter((k) => !before.has(k.id)).map((k) => k.id);
    expect(warm).toHaveLength(1);

    // The first execution runs on the kernel started before we asked for it.
    const a = await pooled.startKernel();
    expect(a.id).toBe(warm[0]);
    expect((await a.execute('1+1')).status).toBe('ok');

    await pooled.warmPool();
    expect(pooled.poolSize()).toEqual({ python3: 1 });
    const b = await pooled.startKernel({ notebookPath: 'pooled.ipynb' });
    expect(b.sessionId).toBeTruthy();
    expect((await client.listSessions()).find((s) => s.path === 'pooled.ipynb')?.kernel.id).toBe(b.id);

    await pooled.warmPool();
    const spare = (await client.listKernels())
      .map((k) => k.id)
      .filter((id) => !before.has(id) && id !== a.id && id !== b.id);
    expect(spare).toHaveLength(1);
    await pooled.close();
    const after = (await client.listKernels()).map((k) => k.id).filter((id) => !before.has(id));
    // The spare is gone; the kernels handed out keep running.
    expect(after.sort()).toEqual([a.id, b.id].sort());
    await client.attachKernel(a.id).then((h) => h.shutdown());
    await client.attachKernel(b.id).then((h) => h.shutdown());
    expect((await client.listKernels()).filter((k) => !before.has(k.id))).toEqual([]);
  });

  it('never puts the token in an error', async () => {
    const bad = new KernelClient({
      connection: new JupyterConnection({ url: server.url, token: 'wrong-secret-token-1234567890' }),
    });
    const errors: KernelClientError[] = [];
    errors.push(await rejection(bad.listKernels()));
    errors.push(await rejection(bad.startKernel({ name: 'python3' })));
    errors.push(await rejection(bad.attachKernel('abc')));
    await bad.close();
    const real = new KernelClient({
      connection: new JupyterConnection({ url: `${server.url}?token=${server.token}`, auth: 'query' }),
    });
    const k = await real.startKernel();
    await server.restart();
    errors.push(await rejection(real.attachKernel(k.id)));
    errors.push(await rejection(k.execute('1')));
    await real.close();
    const unreachable = new KernelClient({
      connection: new JupyterConnection({ url: `http://127.0.0.1:1/?token=${server.token}`, auth: 'query' }),
    });
    errors.push(await rejection(unreachable.listKernels()));
    expect(errors.map((e) => e.code)).toContain('AUTH_FAILED');
    expect(errors.map((e) => e.code)).toContain('SERVER_UNREACHABLE');
    for (const e of errors) {
      const all = `${e.message} ${e.stack} ${String((e.cause as Error | undefined)?.message)}`;
      expect(all).not.toContain('wrong-secret-token-1234567890');
      expect(all).not.toContain(server.token);
    }
  });
});
