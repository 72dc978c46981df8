/** The tool calls running in the whole server (the in-flight gauge; shutdown waits for them). */
export class InflightCalls {
  #count = 0;
  #idle: Array<() => void> = [];

  get count(): number {
    return this.#count;
  }

  /** A call started (+1) or ended (-1). */
  add(delta: 1 | -1): void {
    this.#count += delta;
    if (this.#count !== 0) return;
    const waiters = this.#idle;
    this.#idle = [];
    for (const f of waiters) f();
  }

  /** Resolves true once no call runs, or false after `ms`. */
  waitIdle(ms: number): Promise<boolean> {
    if (this.#count === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), ms);
      this.#idle.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }
}
