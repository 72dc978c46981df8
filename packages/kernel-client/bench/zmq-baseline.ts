// Direct ZMQ client for the baseline: what a local client pays without the Jupyter Server in between.
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as zmq from 'zeromq';

interface ConnectionFile {
  ip: string;
  transport: string;
  shell_port: number;
  iopub_port: number;
  key: string;
  signature_scheme: string;
}

const DELIM = Buffer.from('<IDS|MSG>');

export class ZmqKernel {
  readonly #shell = new zmq.Dealer();
  readonly #iopub = new zmq.Subscriber();
  readonly #key: string;
  readonly #session = randomUUID();
  #waiters = new Map<string, { reply: boolean; idle: boolean; done: () => void }>();
  #closed = false;

  private constructor(readonly info: ConnectionFile) {
    this.#key = info.key;
  }

  /** Connect using `kernel-<id>.json` from the server's runtime dir. */
  static async open(runtimeDir: string, kernelId: string): Promise<ZmqKernel> {
    const info = JSON.parse(
      readFileSync(join(runtimeDir, `kernel-${kernelId}.json`), 'utf8'),
    ) as ConnectionFile;
    const k = new ZmqKernel(info);
    const base = `${info.transport}://${info.ip}:`;
    k.#shell.connect(`${base}${info.shell_port}`);
    k.#iopub.connect(`${base}${info.iopub_port}`);
    k.#iopub.subscribe();
    void k.#loop(k.#shell, 'shell');
    void k.#loop(k.#iopub, 'iopub');
    // The SUB socket needs a moment to join; execute until an idle status for our request arrives.
    for (let i = 0; i < 50; i++) {
      const ok = await Promise.race([k.execute('0').then(() => true), sleep(200).then(() => false)]);
      if (ok) break;
    }
    return k;
  }

  #sign(parts: Buffer[]): string {
    const h = createHmac('sha256', this.#key);
    for (const p of parts) h.update(p);
    return h.digest('hex');
  }

  async #loop(sock: zmq.Dealer | zmq.Subscriber, channel: 'shell' | 'iopub'): Promise<void> {
    try {
      for await (const frames of sock) {
        const i = frames.findIndex((f) => f.equals(DELIM));
        if (i < 0) continue;
        const header = JSON.parse(frames[i + 2]!.toString()) as { msg_type: string };
        const parent = JSON.parse(frames[i + 3]!.toString()) as { msg_id?: string };
        const w = parent.msg_id ? this.#waiters.get(parent.msg_id) : undefined;
        if (!w) continue;
        if (channel === 'shell' && header.msg_type === 'execute_reply') w.reply = true;
        if (channel === 'iopub' && header.msg_type === 'status') {
          const content = JSON.parse(frames[i + 5]!.toString()) as { execution_state: string };
          if (content.execution_state === 'idle') w.idle = true;
        }
        if (w.reply && w.idle) {
          this.#waiters.delete(parent.msg_id!);
          w.done();
        }
      }
    } catch (err) {
      if (!this.#closed) throw err;
    }
  }

  /** Execute and resolve once both execute_reply and the idle status arrived (same criterion as ours). */
  execute(code: string): Promise<void> {
    const header = {
      msg_id: randomUUID(),
      msg_type: 'execute_request',
      session: this.#session,
      username: 'bench',
      date: new Date().toISOString(),
      version: '5.3',
    };
    const parts = [
      header,
      {},
      {},
      { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false },
    ].map((o) => Buffer.from(JSON.stringify(o)));
    return new Promise<void>((resolve) => {
      this.#waiters.set(header.msg_id, { reply: false, idle: false, done: resolve });
      void this.#shell.send([DELIM, Buffer.from(this.#sign(parts)), ...parts]);
    });
  }

  close(): void {
    this.#closed = true;
    this.#shell.close();
    this.#iopub.close();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
