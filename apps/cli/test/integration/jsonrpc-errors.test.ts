import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, repoRoot } from '@jupyter-mcp/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, type HttpProc, MAIN, MCP_HEADERS, raw, startHttp } from './http-helpers.js';

// Raw JSON-RPC against the built CLI on both transports: spec-exact protocol errors and tool argument
// errors. No Jupyter is needed: the URL points at a closed port, and these paths never reach Jupyter.
type Rpc = {
  jsonrpc?: string;
  id?: unknown;
  error?: { code: number; message: string };
  result?: Record<string, unknown>;
};
const VERSION = JSON.parse(readFileSync(join(repoRoot, 'apps/cli/package.json'), 'utf8')).version as string;
const init = (id: number, protocolVersion = '2025-11-25') => ({
  jsonrpc: '2.0',
  id,
  method: 'initialize',
  params: { protocolVersion, capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
});
const call = (id: number, params: unknown) => ({ jsonrpc: '2.0', id, method: 'tools/call', params });
const textOf = (r: Rpc) =>
  ((r.result?.content as { text: string }[] | undefined) ?? []).map((c) => c.text).join('');

function expectClean(message: string | undefined) {
  expect(message).toBeTruthy();
  expect(message!.length).toBeLessThan(400);
  expect(message).not.toMatch(/zod|ZodError|"code":|invalid_type|\n\s+at |\.ts:\d+/);
}

/** The cases both transports must answer alike: [what is sent, how the answer must look]. */
const TOOL_CASES: Array<[string, unknown, (r: Rpc) => void]> = [
  [
    'unknown tool → -32602 with a suggestion',
    call(11, { name: 'read_notebok', arguments: {} }),
    (r) => {
      expect(r.error?.code).toBe(-32602);
      expect(r.error?.message).toMatch(/^Unknown tool: read_notebok\. Did you mean read_notebook\?/);
    },
  ],
  [
    'arguments not an object → -32602 in one line',
    call(12, { name: 'read_notebook', arguments: ['a.ipynb'] }),
    (r) => {
      expect(r.error?.code).toBe(-32602);
      expect(r.error?.message).toBe(
        'Invalid params: "arguments" must be an object of named arguments, not an array of 1.',
      );
    },
  ],
  [
    'an unknown argument → isError naming it, with "did you mean"',
    call(13, { name: 'read_cell', arguments: { path: 'a.ipynb', cel_id: 'x' } }),
    (r) => {
      expect(r.result?.isError).toBe(true);
      expect(textOf(r)).toMatch(
        /^Unknown argument `cel_id` \(did you mean `cell_id`\?\)\. read_cell takes: path, /,
      );
      expectClean(textOf(r));
    },
  ],
  [
    'an invalid argument → isError naming it and what is expected',
    call(14, { name: 'read_notebook', arguments: { path: 'a.ipynb', limit: 'ten' } }),
    (r) => {
      expect(r.result?.isError).toBe(true);
      expect(textOf(r)).toBe(
        'Invalid arguments for read_notebook: `limit` must be an integer from 1 to 500; got the string "ten".',
      );
    },
  ],
  [
    'a missing argument → isError with its description',
    call(15, { name: 'execute_code', arguments: {} }),
    (r) => {
      expect(r.result?.isError).toBe(true);
      expect(textOf(r)).toMatch(/^Invalid arguments for execute_code: Missing required argument `code`/);
    },
  ],
];

/** Params of a method the SDK answers (its schema would fail with a -32603 dump): -32602 in one line. */
const BAD_LEVEL = { jsonrpc: '2.0', id: 6, method: 'logging/setLevel', params: { level: 'loud' } };
const expectBadLevel = (r: Rpc) => {
  expect(r.id).toBe(6);
  expect(r.error?.code).toBe(-32602);
  expect(r.error?.message).toMatch(/^Invalid params for logging\/setLevel: "params\.level" /);
  expectClean(r.error?.message);
};

const SHAPE_CASES: Array<[string, string, number, unknown]> = [
  ['malformed JSON', '{"jsonrpc": "2.0", "id": 1, "method": ', -32700, null],
  ['JSON that is not JSON-RPC', '{"hello": "world"}', -32600, null],
  ['a bare number', '42', -32600, null],
  ['a request without jsonrpc 2.0', '{"jsonrpc": "1.0", "id": 7, "method": "ping"}', -32600, 7],
  [
    'params that are not an object',
    '{"jsonrpc": "2.0", "id": 8, "method": "ping", "params": [1]}',
    -32600,
    8,
  ],
  [
    'a batch on 2025-11-25',
    '[{"jsonrpc": "2.0", "id": 9, "method": "ping"}, {"jsonrpc": "2.0", "id": 10, "method": "ping"}]',
    -32600,
    null,
  ],
];

describe('stdio: raw JSON-RPC', () => {
  let proc: LineProc;
  beforeAll(async () => {
    proc = await startStdio();
    const r = await proc.request(init(1));
    expect(r.result?.protocolVersion).toBe('2025-11-25');
    expect(r.result?.serverInfo).toEqual({ name: 'jupyter-mcp', title: 'Jupyter', version: VERSION });
    proc.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  });
  afterAll(() => proc?.stop());

  for (const [what, line, code, id] of SHAPE_CASES)
    it(`${what} → ${code}, id ${id}`, async () => {
      const r = await proc.roundTrip(line);
      expect(r).toMatchObject({ jsonrpc: '2.0', id, error: { code } });
      expectClean(r.error?.message);
    });

  it('params the SDK cannot parse → -32602 in one line', async () => {
    expectBadLevel(await proc.request(BAD_LEVEL));
  });

  it('stays up and answers the next request after bad input', async () => {
    const r = await proc.request({ jsonrpc: '2.0', id: 99, method: 'ping' });
    expect(r).toEqual({ jsonrpc: '2.0', id: 99, result: {} });
  });

  for (const [what, message, check] of TOOL_CASES)
    it(what, async () => {
      check(await proc.request(message as { id: number }));
    });

  it('takes batches on a session that negotiated 2025-03-26, answering with one array', async () => {
    const old = await startStdio();
    try {
      expect((await old.request(init(1, '2025-03-26'))).result?.protocolVersion).toBe('2025-03-26');
      old.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
      const answer = await old.roundTrip(
        JSON.stringify([
          { jsonrpc: '2.0', id: 2, method: 'ping' },
          { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 77 } },
          call(3, { name: 'nope', arguments: {} }),
        ]),
      );
      expect(Array.isArray(answer)).toBe(true);
      const list = answer as unknown as Rpc[];
      expect(list.map((m) => m.id).sort()).toEqual([2, 3]);
      expect(list.find((m) => m.id === 2)?.result).toEqual({});
      expect(list.find((m) => m.id === 3)?.error?.code).toBe(-32602);
      const allBad = (await old.roundTrip('[1, {"x": 2}]')) as unknown as Rpc[];
      expect(allBad.map((m) => m.error?.code)).toEqual([-32600, -32600]);
      expect((await old.roundTrip('[]')).error?.code).toBe(-32600);
    } finally {
      old.stop();
    }
  });
});

describe('Streamable HTTP: raw JSON-RPC', () => {
  let http: HttpProc;
  let session: string;
  const post = (body: string, headers: Record<string, string> = {}) =>
    raw(http.url, { method: 'POST', headers: { ...MCP_HEADERS, ...headers }, body });
  const rpcOf = (body: string): Rpc | Rpc[] => {
    const data = body
      .split('\n')
      // (the priming event of a resumable stream has empty data)
      .filter((l) => l.startsWith('data: ') && l.length > 6)
      .map((l) => JSON.parse(l.slice(6)));
    if (!data.length) return JSON.parse(body);
    return data.length === 1 ? data[0] : data;
  };
  beforeAll(async () => {
    http = await startHttp([
      '--no-auth',
      '--port',
      String(await freePort()),
      '--url',
      `http://127.0.0.1:${await freePort()}/`,
    ]);
    const r = await post(JSON.stringify(init(1)));
    session = String(r.headers['mcp-session-id']);
    const rpc = rpcOf(r.body) as Rpc;
    expect(rpc.result?.serverInfo).toEqual({ name: 'jupyter-mcp', title: 'Jupyter', version: VERSION });
    await post(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), {
      'mcp-session-id': session,
      'mcp-protocol-version': '2025-11-25',
    });
  });
  afterAll(async () => {
    await http?.stop();
  });
  const inSession = {
    get 'mcp-session-id'() {
      return session;
    },
    'mcp-protocol-version': '2025-11-25',
  };

  for (const [what, body, code, id] of SHAPE_CASES)
    it(`${what} → 400 with ${code}, id ${id}`, async () => {
      const r = await post(body, { ...inSession });
      expect(r.status).toBe(400);
      const rpc = JSON.parse(r.body) as Rpc;
      expect(rpc).toMatchObject({ jsonrpc: '2.0', id, error: { code } });
      expectClean(rpc.error?.message);
    });

  it('params the SDK cannot parse → -32602 in one line', async () => {
    expectBadLevel(rpcOf((await post(JSON.stringify(BAD_LEVEL), { ...inSession })).body) as Rpc);
  });

  for (const [what, message, check] of TOOL_CASES)
    it(what, async () => {
      const r = await post(JSON.stringify(message), { ...inSession });
      check(rpcOf(r.body) as Rpc);
    });

  it('takes batches on a session that negotiated 2025-03-26', async () => {
    const first = await post(JSON.stringify(init(1, '2025-03-26')));
    const sid = String(first.headers['mcp-session-id']);
    const headers = { 'mcp-session-id': sid };
    await post(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), headers);
    const r = await post(
      JSON.stringify([{ jsonrpc: '2.0', id: 2, method: 'ping' }, call(3, { name: 'nope' })]),
      headers,
    );
    expect(r.status).toBe(200);
    const all = ([] as Rpc[]).concat(rpcOf(r.body) as Rpc | Rpc[]);
    expect(all.map((m) => m.id).sort()).toEqual([2, 3]);
    expect(all.find((m) => m.id === 3)?.error?.code).toBe(-32602);
  });

  it('the SDK client gets the same answers, and the server stays up', async () => {
    const c = await connectClient(http.url);
    const r = await c.callTool({ name: 'read_cell', arguments: { path: 'a.ipynb', indx: 1 } });
    expect(r.isError).toBe(true);
    await expect(c.callTool({ name: 'nope', arguments: {} })).rejects.toMatchObject({ code: -32602 });
    expect(c.getServerVersion()).toEqual({ name: 'jupyter-mcp', title: 'Jupyter', version: VERSION });
    await c.close();
  });
});

interface LineProc {
  send(message: unknown): void;
  /** Send a line and wait for the next message written to stdout. */
  roundTrip(line: string): Promise<Rpc>;
  request(message: { id: number } & Record<string, unknown>): Promise<Rpc>;
  stop(): void;
}

/** `jupyter-mcp` over stdio with raw lines in and out (every stdout line must be JSON-RPC). */
async function startStdio(): Promise<LineProc> {
  const child: ChildProcess = spawn(
    process.execPath,
    [MAIN, '--url', `http://127.0.0.1:${await freePort()}/`, '--log-level', 'error'],
    { cwd: repoRoot, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' }, stdio: 'pipe' },
  );
  child.stderr!.resume();
  const seen: Rpc[] = [];
  const waiting: Array<() => void> = [];
  let buffer = '';
  child.stdout!.on('data', (d: Buffer) => {
    buffer += d.toString();
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      seen.push(JSON.parse(line)); // a non-JSON stdout line fails the test here
      for (const w of waiting.splice(0)) w();
    }
  });
  const next = (match: (m: Rpc) => boolean) =>
    new Promise<Rpc>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer on stdout')), 20_000);
      const check = () => {
        const i = seen.findIndex(match);
        if (i < 0) return waiting.push(check);
        clearTimeout(timer);
        resolve(seen.splice(i, 1)[0]!);
      };
      check();
    });
  const isNotification = (m: Rpc) => !('id' in m) && !Array.isArray(m);
  return {
    send: (m) => child.stdin!.write(`${JSON.stringify(m)}\n`),
    roundTrip(line) {
      child.stdin!.write(`${line}\n`);
      return next((m) => !isNotification(m));
    },
    request(m) {
      child.stdin!.write(`${JSON.stringify(m)}\n`);
      return next((r) => r.id === m.id);
    },
    stop: () => void child.kill('SIGTERM'),
  };
}
