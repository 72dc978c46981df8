import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { type DoctorIO, doctorCommand, registerDoctorCommand } from '../src/commands/doctor.js';
import { ExitError } from '../src/errors.js';

function io(env: Record<string, string> = {}): DoctorIO & { out: string; err: string } {
  const o = {
    out: '',
    err: '',
    env,
    cwd: tmpdir(),
    stdout: (t: string) => {
      o.out += t;
    },
    stderr: (t: string) => {
      o.err += t;
    },
  };
  return o;
}

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

describe('doctorCommand', () => {
  it('no URL is a usage error (ExitError 2) that points at --discover', async () => {
    const err = await doctorCommand(undefined, {}, io()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExitError);
    expect((err as ExitError).exitCode).toBe(2);
    expect((err as ExitError).message).toMatch(/--discover/);
  });

  it('a bad --timeout and an unset --password-env are usage errors', async () => {
    await expect(doctorCommand('http://127.0.0.1:1/', { timeout: '0' }, io())).rejects.toMatchObject({
      exitCode: 2,
    });
    await expect(
      doctorCommand('http://127.0.0.1:1/', { passwordEnv: 'DOCTOR_TEST_UNSET' }, io()),
    ).rejects.toMatchObject({ exitCode: 2 });
  });

  it('--json on a closed port: one JSON document, exit 1, the token nowhere', async () => {
    const port = await closedPort();
    const o = io({ JUPYTER_TOKEN: 'secret-token-unit-test' });
    const code = await doctorCommand(`http://127.0.0.1:${port}/`, { json: true }, o);
    expect(code).toBe(1);
    const doc = JSON.parse(o.out);
    expect(doc.ok).toBe(false);
    expect(doc.findings.map((f: { code: string }) => f.code)).toEqual(['SERVER_UNREACHABLE']);
    expect(o.out + o.err).not.toContain('secret-token-unit-test');
  });

  it('--discover without a URL lists runtime files without tokens', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'doctor-rt-'));
    writeFileSync(
      join(dir, `jpserver-${process.pid}.json`),
      JSON.stringify({
        url: 'http://127.0.0.1:8899/',
        base_url: '/',
        port: 8899,
        pid: process.pid,
        token: 'runtime-file-token-abcdef',
        password: false,
        root_dir: '/srv/nb',
        version: '2.21.1',
      }),
    );
    const o = io({ JUPYTER_RUNTIME_DIR: dir });
    expect(await doctorCommand(undefined, { discover: true, json: true }, o)).toBe(0);
    const doc = JSON.parse(o.out);
    expect(doc.servers).toEqual([
      expect.objectContaining({ port: 8899, hasToken: true, rootDir: '/srv/nb' }),
    ]);
    expect(o.out).not.toContain('runtime-file-token-abcdef');
    const human = io({ JUPYTER_RUNTIME_DIR: dir });
    expect(await doctorCommand(undefined, { discover: true }, human)).toBe(0);
    expect(human.out).toContain('http://127.0.0.1:8899/');
    expect(human.out).not.toContain('runtime-file-token-abcdef');
  });

  it('registers `doctor [url]` with its options; usage errors print to stderr and give 2', async () => {
    const o = io();
    let code = -1;
    const program = new Command('jupyter-mcp').exitOverride();
    registerDoctorCommand(program, o, (c) => {
      code = c;
    });
    await program.parseAsync(['node', 'jupyter-mcp', 'doctor', '--json', '--no-kernel-probe']);
    expect(code).toBe(2);
    expect(o.out).toBe('');
    expect(o.err).toMatch(/needs the Jupyter Server URL/);
    const help = program.commands.find((c) => c.name() === 'doctor')!.helpInformation();
    for (const flag of [
      '--json',
      '--matrix',
      '--discover',
      '--timeout',
      '--no-kernel-probe',
      '--token-file',
      '--password-env',
      '--header',
    ])
      expect(help).toContain(flag);
  });
});
