import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type JupyterServerHandle, startJupyter } from '@jupyter-mcp/test-support';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolResultSchema,
  CompleteResultSchema,
  ResourceUpdatedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeTools,
  registerServerFeatures,
  type ToolDeps,
  type ToolSettings,
  ToolTaskStore,
} from '../../src/index.js';
import { code, markdown, notebookJson, testDeps } from '../runs/helpers.js';

// Resources, prompts and completion through the official SDK client, against a real Jupyter Server.
let jupyter: JupyterServerHandle;
const opened: Array<() => Promise<void>> = [];

function depsFor(settings: Partial<ToolSettings> = {}): ToolDeps {
  return testDeps(jupyter, { executionTimeoutS: 60, imageLimitBytes: 100_000, ...settings });
}

async function connect(settings: Partial<ToolSettings> = {}, subscriptions = true) {
  const deps = depsFor(settings);
  const taskStore = new ToolTaskStore();
  const server = new Server({ name: 'test', version: '0' }, { capabilities: {}, taskStore });
  const features = registerServerFeatures(server, deps, { subscriptions, taskStore });
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'test', version: '0' });
  await Promise.all([server.connect(a), client.connect(b)]);
  opened.push(async () => {
    await client.close();
    await features.close();
    await closeTools(deps);
  });
  return { client, features };
}

const errorOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    return err as { code: number; message: string };
  }
  throw new Error('expected an error');
};

const FAILING = {
  ...code('1 / 0', 'fails'),
  execution_count: 2,
  outputs: [
    {
      output_type: 'error',
      ename: 'ZeroDivisionError',
      evalue: 'division by zero',
      traceback: ['\x1b[31mZeroDivisionError\x1b[0m: division by zero'],
    },
  ],
};

beforeAll(async () => {
  jupyter = await startJupyter();
  const root = jupyter.rootDir;
  mkdirSync(join(root, 'reports'), { recursive: true });
  mkdirSync(join(root, '.hidden'), { recursive: true });
  writeFileSync(join(root, '.hidden', 'secret.ipynb'), notebookJson([]));
  writeFileSync(
    join(root, 'analysis.ipynb'),
    notebookJson([
      markdown('# Sales analysis', 'intro'),
      {
        ...code('total = 40 + 2\nprint(total)', 'sum'),
        execution_count: 1,
        outputs: [{ output_type: 'stream', name: 'stdout', text: '42\n' }],
      },
      FAILING,
    ]),
  );
  const big = Array.from({ length: 40 }, (_, i) => code(`x${i} = ${i}  # ${'pad '.repeat(30)}`, `c${i}`));
  writeFileSync(join(root, 'reports', 'big.ipynb'), notebookJson(big));
  writeFileSync(join(root, 'data.csv'), 'region,sales\nEU,1.5\nUS,2.0\n');
  writeFileSync(
    join(root, 'pixel.png'),
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]),
  );
  for (let i = 0; i < 105; i++)
    writeFileSync(join(root, 'reports', `note-${String(i).padStart(3, '0')}.txt`), `n${i}`);
});

afterAll(async () => {
  for (const close of opened) await close().catch(() => {});
  await jupyter?.stop();
});

describe('capabilities', () => {
  it('advertise resources (with subscribe), prompts, completions, and no listChanged', async () => {
    const { client } = await connect();
    const caps = client.getServerCapabilities()!;
    expect(caps.resources).toEqual({ subscribe: true });
    expect(caps.prompts).toEqual({});
    expect(caps.completions).toEqual({});
    expect(caps.tools).toEqual({});
    const { client: stateless } = await connect({}, false);
    expect(stateless.getServerCapabilities()?.resources).toEqual({});
  });
});

describe('resources', () => {
  it('lists notebooks first, then files, paged, without hidden files', async () => {
    const { client } = await connect();
    const first = await client.listResources();
    expect(first.resources).toHaveLength(100);
    expect(first.resources.slice(0, 2).map((r) => r.uri)).toEqual([
      'jupyter:///analysis.ipynb',
      'jupyter:///reports/big.ipynb',
    ]);
    expect(first.resources[0]).toMatchObject({
      name: 'analysis.ipynb',
      mimeType: 'application/x-ipynb+json',
    });
    expect(first.resources[0]?.annotations?.lastModified).toBeTruthy();
    expect(first.nextCursor).toBeTruthy();
    const second = await client.listResources({ cursor: first.nextCursor! });
    const all = [...first.resources, ...second.resources].map((r) => r.uri);
    expect(all).toHaveLength(2 + 2 + 105);
    expect(second.nextCursor).toBeUndefined();
    expect(all).toContain('jupyter:///data.csv');
    expect(all.some((u) => u.includes('.hidden'))).toBe(false);
    expect((await errorOf(client.listResources({ cursor: 'nope' }))).code).toBe(-32602);
    const templates = await client.listResourceTemplates();
    expect(templates.resourceTemplates.map((t) => t.name)).toEqual([
      'notebook',
      'notebook-markdown',
      'cell',
      'cells',
    ]);
  });

  it('reads a notebook as its JSON, as markdown, one cell, a range of cells', async () => {
    const { client } = await connect();
    const raw = await client.readResource({ uri: 'jupyter:///analysis.ipynb' });
    expect(raw.contents[0]).toMatchObject({
      uri: 'jupyter:///analysis.ipynb',
      mimeType: 'application/x-ipynb+json',
    });
    const nb = JSON.parse((raw.contents[0] as { text: string }).text);
    expect(nb.cells.map((c: { id: string }) => c.id)).toEqual(['intro', 'sum', 'fails']);

    const md = (await client.readResource({ uri: 'jupyter:///analysis.ipynb?view=markdown' }))
      .contents[0] as {
      text: string;
      mimeType: string;
    };
    expect(md.mimeType).toBe('text/markdown');
    expect(md.text).toContain('# analysis.ipynb');
    expect(md.text).toContain('## [1] code · id sum · exec 1');
    expect(md.text).toContain('```python\ntotal = 40 + 2\nprint(total)\n```');
    expect(md.text).toContain('Output:\n\n```\n42\n```');
    expect(md.text).toContain('ZeroDivisionError: division by zero');
    expect(md.text).not.toContain('\x1b');

    const cell = (await client.readResource({ uri: 'jupyter:///analysis.ipynb?cell=fails' })).contents[0] as {
      text: string;
    };
    expect(cell.text).toMatch(/^## \[2\] code · id fails/);
    const byIndex = (await client.readResource({ uri: 'jupyter:///analysis.ipynb?cell=0' })).contents[0] as {
      text: string;
    };
    expect(byIndex.text).toContain('# Sales analysis');
    const range = (await client.readResource({ uri: 'jupyter:///reports/big.ipynb?cells=2-3' }))
      .contents[0] as {
      text: string;
    };
    expect(range.text).toContain('showing cells 2–3');
    expect(range.text).toContain('x2 = 2');
    expect(range.text).toContain('x3 = 3');
    expect(range.text).not.toContain('x4 = 4');
  });

  it('offers a notebook over the resource limit as its markdown view, with the cell-range template', async () => {
    const { client } = await connect({ resourceLimitBytes: 4096 });
    const r = (await client.readResource({ uri: 'jupyter:///reports/big.ipynb' })).contents[0] as {
      text: string;
      mimeType: string;
    };
    expect(r.mimeType).toBe('text/markdown');
    expect(r.text).toMatch(/over the resource limit of 4 KB/);
    expect(r.text).toMatch(
      /Cells \d+–39 are not shown[\s\S]*jupyter:\/\/\/reports\/big\.ipynb\?cells=\d+-39/,
    );
    expect(r.text.length).toBeLessThanOrEqual(4096);
  });

  it('reads text files as text and binary files as base64', async () => {
    const { client } = await connect();
    const csv = (await client.readResource({ uri: 'jupyter:///data.csv' })).contents[0] as {
      text: string;
      mimeType: string;
    };
    expect(csv.text).toBe('region,sales\nEU,1.5\nUS,2.0\n');
    expect(csv.mimeType).toMatch(/csv/);
    const png = (await client.readResource({ uri: 'jupyter:///pixel.png' })).contents[0] as {
      blob: string;
      mimeType: string;
    };
    expect(Buffer.from(png.blob, 'base64').subarray(1, 4).toString()).toBe('PNG');
    expect(png.mimeType).toBe('image/png');
  });

  it('refuses what is not there, outside the root, or too big, with the spec codes', async () => {
    const { client } = await connect({ resourceLimitBytes: 1024 });
    const missing = await errorOf(client.readResource({ uri: 'jupyter:///nope.ipynb' }));
    expect(missing.code).toBe(-32002);
    expect(missing.message).toMatch(/nope\.ipynb/);
    // A URI's own "../" is resolved by URI syntax, inside the root: jupyter:///etc/passwd.
    expect((await errorOf(client.readResource({ uri: 'jupyter:///../etc/passwd' }))).code).toBe(-32002);
    for (const uri of [
      'jupyter:///..%2Fetc%2Fpasswd',
      'file:///etc/passwd',
      'jupyter://host/a.ipynb',
      'jupyter:///reports',
      'jupyter:///analysis.ipynb?view=pdf',
      'jupyter:///analysis.ipynb?cells=5-2',
    ]) {
      const e = await errorOf(client.readResource({ uri }));
      expect(e.code, uri).toBe(-32602);
      expect(e.message, uri).not.toMatch(/\n\s+at /);
    }
    writeFileSync(join(jupyter.rootDir, 'large.txt'), 'x'.repeat(5000));
    const large = await errorOf(client.readResource({ uri: 'jupyter:///large.txt' }));
    expect(large.code).toBe(-32602);
    expect(large.message).toMatch(/over the resource limit of 1 KB/);
  });

  it('notifies a subscriber when the notebook changes, and stops after unsubscribe', async () => {
    const { client } = await connect();
    const updates: string[] = [];
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
      updates.push(n.params.uri);
    });
    writeFileSync(join(jupyter.rootDir, 'watched.ipynb'), notebookJson([code('a = 1', 'a')]));
    const uri = 'jupyter:///watched.ipynb?view=markdown';
    await client.subscribeResource({ uri });
    await new Promise((r) => setTimeout(r, 1100)); // file systems with 1 s mtime resolution
    writeFileSync(join(jupyter.rootDir, 'watched.ipynb'), notebookJson([code('a = 2', 'a')]));
    await waitFor(() => updates.length > 0, 15_000);
    expect(updates[0]).toBe(uri);
    await client.unsubscribeResource({ uri });
    const before = updates.length;
    writeFileSync(join(jupyter.rootDir, 'watched.ipynb'), notebookJson([code('a = 3', 'a')]));
    await new Promise((r) => setTimeout(r, 5000));
    expect(updates.length).toBe(before);
    expect((await errorOf(client.subscribeResource({ uri: 'jupyter:///missing.ipynb' }))).code).toBe(-32002);
  }, 40_000);
});

describe('prompts', () => {
  it('offers the workflows whose tools are offered', async () => {
    const all = await (await connect()).client.listPrompts();
    expect(all.prompts.map((p) => p.name)).toEqual([
      'explain_notebook',
      'fix_failing_cell',
      'parameterize_notebook',
      'run_report',
      'explore_data',
    ]);
    const some = await (await connect({ tools: ['read_notebook', 'execute_code'] })).client.listPrompts();
    expect(some.prompts.map((p) => p.name)).toEqual(['explain_notebook', 'explore_data']);
    const readOnly = await (await connect({ readOnly: true })).client.listPrompts();
    expect(readOnly.prompts.map((p) => p.name)).toEqual(['explain_notebook']);
  });

  it('explain_notebook embeds the markdown view; fix_failing_cell the failing cell', async () => {
    const { client } = await connect();
    const explain = await client.getPrompt({
      name: 'explain_notebook',
      arguments: { path: 'analysis.ipynb' },
    });
    expect(explain.messages[0]?.content).toMatchObject({ type: 'text' });
    expect(explain.messages[1]?.content).toMatchObject({
      type: 'resource',
      resource: { uri: 'jupyter:///analysis.ipynb?view=markdown', mimeType: 'text/markdown' },
    });
    const fix = await client.getPrompt({ name: 'fix_failing_cell', arguments: { path: 'analysis.ipynb' } });
    expect((fix.messages[0]!.content as { text: string }).text).toMatch(
      /^Cell 2 \(id fails\) of analysis\.ipynb fails/,
    );
    expect(JSON.stringify(fix.messages[1])).toContain('ZeroDivisionError');
    const report = await client.getPrompt({
      name: 'run_report',
      arguments: { path: 'analysis.ipynb', parameters: '{"region": "EU"}' },
    });
    expect((report.messages[0]!.content as { text: string }).text).toContain('parameters {"region":"EU"}');
  });

  it('refuses unknown prompts, missing, unknown or bad arguments with -32602', async () => {
    const { client } = await connect();
    const cases: Array<[Parameters<Client['getPrompt']>[0], RegExp]> = [
      [{ name: 'explain_notebok' }, /Unknown prompt: explain_notebok\. Did you mean explain_notebook\?/],
      [{ name: 'explain_notebook' }, /Missing required argument path for prompt explain_notebook/],
      [
        { name: 'explain_notebook', arguments: { path: 'a.ipynb', pth: 'x' } },
        /Unknown argument pth .*did you mean path/,
      ],
      [{ name: 'explain_notebook', arguments: { path: 'nope.ipynb' } }, /nope\.ipynb/],
      [{ name: 'explain_notebook', arguments: { path: '../x.ipynb' } }, /outside/],
    ];
    for (const [params, message] of cases) {
      const e = await errorOf(client.getPrompt(params));
      expect(e.code, JSON.stringify(params)).toBe(-32602);
      expect(e.message).toMatch(message);
    }
  });
});

describe('completion', () => {
  const complete = (client: Client, params: Record<string, unknown>) =>
    client.request({ method: 'completion/complete', params } as never, CompleteResultSchema);

  it('completes notebook paths, files, cell ids and kernelspec names', async () => {
    const { client } = await connect();
    const paths = await complete(client, {
      ref: { type: 'ref/prompt', name: 'explain_notebook' },
      argument: { name: 'path', value: 'rep' },
    });
    expect(paths.completion.values).toEqual(['reports/big.ipynb']);
    const contains = await complete(client, {
      ref: { type: 'ref/prompt', name: 'explain_notebook' },
      argument: { name: 'path', value: 'big' },
    });
    expect(contains.completion.values).toEqual(['reports/big.ipynb']);
    const files = await complete(client, {
      ref: { type: 'ref/prompt', name: 'explore_data' },
      argument: { name: 'path', value: 'reports/note-0' },
    });
    expect(files.completion.values).toHaveLength(100);
    expect(files.completion).toMatchObject({ total: 100, hasMore: false });
    const cells = await complete(client, {
      ref: { type: 'ref/resource', uri: 'jupyter:///{+path}?cell={cell}' },
      argument: { name: 'cell', value: '' },
      context: { arguments: { path: 'analysis.ipynb' } },
    });
    expect(cells.completion.values[0]).toBe('fails');
    expect(cells.completion.values.sort()).toEqual(['fails', 'intro', 'sum']);
    const failing = await complete(client, {
      ref: { type: 'ref/prompt', name: 'fix_failing_cell' },
      argument: { name: 'cell_id', value: 's' },
      context: { arguments: { path: 'analysis.ipynb' } },
    });
    expect(failing.completion.values).toEqual(['sum']);
    const kernels = await complete(client, {
      ref: { type: 'ref/prompt', name: 'run_report' },
      argument: { name: 'kernel_name', value: 'py' },
    });
    expect(kernels.completion.values).toContain('python3');
    const none = await complete(client, {
      ref: { type: 'ref/prompt', name: 'run_report' },
      argument: { name: 'parameters', value: '' },
    });
    expect(none.completion.values).toEqual([]);
    const bad = await errorOf(
      complete(client, { ref: { type: 'ref/prompt', name: 'nope' }, argument: { name: 'path', value: '' } }),
    );
    expect(bad.code).toBe(-32602);
  });
});

describe('rich output for models, from a real kernel', () => {
  const run = async (client: Client, code: string) => {
    const r = await client.callTool({ name: 'execute_code', arguments: { code } }, undefined, {
      timeout: 120_000,
    });
    return (r.content as Array<{ type: string; text?: string }>).map((c) => c.text ?? '').join('\n');
  };

  it('renders display(HTML), Markdown, JSON, and a DataFrame-like table as text a model can read', async () => {
    const { client } = await connect();
    const html = await run(
      client,
      'from IPython.display import HTML, Markdown, JSON, display\n' +
        'display(HTML("<h3>Quarterly</h3><p>Sales <b>up</b> 5%</p>"))\n' +
        'display(Markdown("**bold** _move_"))\n' +
        'display(JSON({"a": [1, 2]}))',
    );
    expect(html).not.toContain('IPython.core.display');
    expect(html).toContain('### Quarterly');
    expect(html).toContain('Sales up 5%');
    expect(html).toContain('**bold** _move_');
    expect(html).toContain('{\n  "a": [\n    1,\n    2\n  ]\n}');
    // The bundle pandas produces: an HTML table next to a text/plain rendering.
    const table = await run(
      client,
      'class Frame:\n' +
        '    def _repr_html_(self):\n' +
        '        return "<table class=\'dataframe\'><thead><tr><th></th><th>city</th><th>sales</th></tr></thead>"' +
        ' "<tbody><tr><th>0</th><td>Paris</td><td>1.5</td></tr><tr><th>1</th><td>Berlin</td><td>2.0</td></tr></tbody></table>"\n' +
        '    def __repr__(self):\n' +
        '        return "     city  sales\\n0   Paris    1.5\\n1  Berlin    2.0"\n' +
        'Frame()',
    );
    expect(table).toContain(
      'Out[2]:\n|  | city | sales |\n| --- | --- | --- |\n| 0 | Paris | 1.5 |\n| 1 | Berlin | 2.0 |',
    );
    // text/plain stays preferred when it is a real value.
    expect(await run(client, '6 * 7')).toContain('42');
  });
});

describe('execute_notebook as a task', () => {
  it('runs a notebook as a task the client polls; the executed notebook is saved', async () => {
    const { client } = await connect();
    writeFileSync(
      join(jupyter.rootDir, 'task.ipynb'),
      notebookJson([code('x = 21', 'a'), code('print(x * 2)', 'b')]),
    );
    const stream = client.experimental.tasks.callToolStream(
      { name: 'execute_notebook', arguments: { path: 'task.ipynb', output_path: 'task-out.ipynb' } },
      CallToolResultSchema,
      { task: {} },
    );
    const kinds: string[] = [];
    let result: { content: Array<{ text?: string }>; isError?: boolean } | undefined;
    for await (const m of stream) {
      kinds.push(m.type);
      if (m.type === 'result') result = m.result as typeof result;
      if (m.type === 'error') throw m.error;
    }
    expect(kinds[0]).toBe('taskCreated');
    expect(result?.isError).toBeFalsy();
    expect(result?.content[0]?.text).toMatch(/completed, 2\/2 code cells/);
    const saved = JSON.parse(readFileSync(join(jupyter.rootDir, 'task-out.ipynb'), 'utf8'));
    expect(saved.cells[1].outputs[0].text.join('')).toBe('42\n');
  }, 120_000);
});

async function waitFor(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
