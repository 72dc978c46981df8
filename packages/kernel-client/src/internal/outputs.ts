import { type CutCounts, countLineBreaks, cutNotice, cutText } from '../cut.js';
import type {
  DisplayDataOutput,
  ErrorOutput,
  ExecuteResultOutput,
  MimeBundle,
  Output,
  OutputEvent,
  OutputLimits,
  OutputTruncation,
  StreamOutput,
  TruncationReport,
} from '../types.js';
import type { LargeText } from './large-text.js';

export const DEFAULT_OUTPUT_LIMITS: OutputLimits = {
  headChars: 20_000,
  tailChars: 20_000,
  maxOutputs: 500,
  maxMimeChars: 10_000_000,
};

const RATE_LIMIT_RE = /^IOPub (data|message) rate exceeded\./;

/** Is this stderr text the server's own IOPub rate-limit notice (not the cell's output)? */
export function isRateLimitNotice(text: string): boolean {
  return RATE_LIMIT_RE.test(text);
}

/**
 * Apply carriage returns the way a terminal (and JupyterLab) does: within a line, text after `\r`
 * overwrites from column 0. A trailing `\r` is kept so that the next chunk can still overwrite.
 */
export function collapseCarriageReturns(text: string): string {
  if (!text.includes('\r')) return text;
  const t = text.replace(/\r+\n/g, '\n');
  const lines = t.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.includes('\r')) continue;
    const segs = line.split('\r');
    let buf = '';
    for (const seg of segs) buf = seg + buf.slice(seg.length);
    lines[i] = line.endsWith('\r') ? `${buf}\r` : buf;
  }
  return lines.join('\n');
}

/**
 * A text that keeps at most `head` characters from the start and `tail` from the end, counting what
 * it drops in between; `finish()` cuts it by the one cut rule (cut.ts).
 */
export class BoundedText {
  head = '';
  tail = '';
  dropped = 0;
  droppedLines = 0;
  /** The last character dropped was a line break: the tail starts a line. */
  #tailAtLineStart = false;
  constructor(
    private readonly headChars: number,
    private readonly tailChars: number,
  ) {}

  append(chunk: string): void {
    if (chunk.length === 0) return;
    if (this.tail.length === 0 && this.dropped === 0) {
      let h = this.head;
      if (chunk.includes('\r')) h = collapseLast(h, chunk);
      else h += chunk;
      if (h.length <= this.headChars) {
        this.head = h;
        return;
      }
      this.head = h.slice(0, this.headChars);
      this.appendTail(h.slice(this.headChars));
      return;
    }
    this.appendTail(chunk);
  }

  /** Append a text of which only the head and tail were decoded (see large-text.ts). */
  appendLarge(large: LargeText): void {
    this.append(large.head);
    if (large.droppedChars > 0) {
      // The decoded tail has exactly `tailChars` units, so everything before it is dropped.
      this.#drop(this.tail.length);
      this.dropped += large.droppedChars;
      this.droppedLines += large.droppedLines;
      this.#tailAtLineStart = large.tailAtLineStart;
    }
    this.append(large.tail);
  }

  private appendTail(chunk: string): void {
    this.tail = chunk.includes('\r') ? collapseLast(this.tail, chunk) : this.tail + chunk;
    // Trim lazily (at twice the bound) so that many small chunks cost amortised O(1) each.
    if (this.tail.length > this.tailChars * 2 || (this.tailChars === 0 && this.tail.length > 0))
      this.#drop(this.tail.length - this.tailChars);
  }

  /** Drop the first `n` characters of the tail, counting them. */
  #drop(n: number): void {
    if (n <= 0) return;
    this.dropped += n;
    this.droppedLines += countLineBreaks(this.tail, 0, n);
    this.#tailAtLineStart = this.tail[n - 1] === '\n';
    this.tail = this.tail.slice(n);
  }

  get length(): number {
    return this.head.length + this.tail.length;
  }

  /** Final text (cut by the one cut rule when something was dropped) and what was dropped. */
  finish(): { text: string; dropped: number; droppedLines: number } {
    this.#drop(this.tail.length - this.tailChars);
    if (this.dropped === 0) return { text: this.head + this.tail, dropped: 0, droppedLines: 0 };
    const dropped = { chars: this.dropped, lines: this.droppedLines };
    return joinCut(this.head, dropped, this.tail, this.#tailAtLineStart);
  }
}

/**
 * `head` + `tail` with what lies between them already dropped: the cut text by the one rule (which may
 * move the cut to line boundaries, so the counts returned are the final ones).
 */
export function joinCut(
  head: string,
  dropped: CutCounts,
  tail: string,
  tailAtLineStart: boolean,
): { text: string; dropped: number; droppedLines: number } {
  const wholeLines = tailAtLineStart && (head === '' || head.endsWith('\n'));
  const joined = head + cutNotice(dropped, wholeLines) + tail;
  const { text, cut } = cutText(joined, { headChars: head.length, tailChars: tail.length });
  return { text, dropped: cut?.chars ?? 0, droppedLines: cut?.lines ?? 0 };
}

/** Collapse carriage returns in the last line of `text` + `chunk` only (bounded work per chunk). */
function collapseLast(text: string, chunk: string): string {
  const nl = text.lastIndexOf('\n');
  const prefix = nl < 0 ? '' : text.slice(0, nl + 1);
  const last = nl < 0 ? text : text.slice(nl + 1);
  return prefix + collapseCarriageReturns(last + chunk);
}

type Slot =
  | { kind: 'stream'; name: 'stdout' | 'stderr'; text: BoundedText }
  | {
      kind: 'rich';
      output: DisplayDataOutput | ExecuteResultOutput;
      displayId: string | undefined;
      cut: CutCounts;
      droppedMime: string[];
    }
  | { kind: 'error'; output: ErrorOutput; cut: CutCounts };

export interface RichContent {
  data?: MimeBundle;
  metadata?: Record<string, unknown>;
  transient?: { display_id?: string };
  execution_count?: number | null;
}

/**
 * Collects one execution's IOPub outputs into nbformat outputs with bounded memory: consecutive
 * stream chunks merged per name, `clear_output` (also `wait=true`), `update_display_data` by display
 * id, head + tail kept per output, at most `maxOutputs` outputs (middle ones dropped).
 */
export class OutputCollector {
  private slots: Slot[] = [];
  private pendingClear = false;
  private droppedOutputs = 0;
  readonly warnings: string[] = [];
  private readonly limits: OutputLimits;

  constructor(
    limits: Partial<OutputLimits> = {},
    private readonly onEvent?: (event: OutputEvent) => void,
  ) {
    this.limits = { ...DEFAULT_OUTPUT_LIMITS, ...limits };
  }

  /** Handle one IOPub message of this execution. Returns true when it was an output message. */
  handle(msgType: string, content: Record<string, unknown>): boolean {
    switch (msgType) {
      case 'stream':
        this.stream(content.name === 'stderr' ? 'stderr' : 'stdout', String(content.text ?? ''));
        return true;
      case 'display_data':
        this.rich('display_data', content as RichContent);
        return true;
      case 'execute_result':
        this.rich('execute_result', content as RichContent);
        return true;
      case 'error':
        this.error(content);
        return true;
      case 'clear_output':
        this.clear(content.wait === true);
        return true;
      case 'update_display_data':
        this.update(content as RichContent);
        return true;
      default:
        return false;
    }
  }

  stream(name: 'stdout' | 'stderr', text: string): void {
    if (name === 'stderr' && isRateLimitNotice(text)) {
      const which = /message rate/.test(text) ? 'message' : 'data';
      this.addWarning(
        `The Jupyter Server dropped part of this cell's output: IOPub ${which} rate exceeded (its ` +
          `iopub_${which}_rate_limit). The output shown is incomplete. Print less, or raise ` +
          `--ZMQChannelsWebsocketConnection.iopub_${which}_rate_limit on the server.`,
      );
      return;
    }
    this.beforeAdd();
    const last = this.slots[this.slots.length - 1];
    if (last?.kind === 'stream' && last.name === name) {
      last.text.append(text);
    } else {
      const bt = new BoundedText(this.limits.headChars, this.limits.tailChars);
      bt.append(text);
      this.push({ kind: 'stream', name, text: bt });
    }
    this.onEvent?.({ kind: 'output', output: { output_type: 'stream', name, text } });
  }

  /** A huge stream chunk decoded only in part. */
  streamLarge(name: 'stdout' | 'stderr', large: LargeText): void {
    this.beforeAdd();
    const last = this.slots[this.slots.length - 1];
    if (last?.kind === 'stream' && last.name === name) {
      last.text.appendLarge(large);
    } else {
      const bt = new BoundedText(this.limits.headChars, this.limits.tailChars);
      bt.appendLarge(large);
      this.push({ kind: 'stream', name, text: bt });
    }
    const text =
      large.droppedChars > 0
        ? joinCut(
            large.head,
            { chars: large.droppedChars, lines: large.droppedLines },
            large.tail,
            large.tailAtLineStart,
          ).text
        : large.head + large.tail;
    this.onEvent?.({ kind: 'output', output: { output_type: 'stream', name, text } });
  }

  /** The limits in force. */
  get outputLimits(): OutputLimits {
    return this.limits;
  }

  private rich(type: 'display_data' | 'execute_result', content: RichContent): void {
    this.beforeAdd();
    const { data, cut, droppedMime } = this.boundBundle(content.data ?? {});
    const metadata = content.metadata ?? {};
    const output: DisplayDataOutput | ExecuteResultOutput =
      type === 'execute_result'
        ? { output_type: 'execute_result', execution_count: content.execution_count ?? null, data, metadata }
        : { output_type: 'display_data', data, metadata };
    this.push({ kind: 'rich', output, displayId: content.transient?.display_id, cut, droppedMime });
    this.onEvent?.({ kind: 'output', output });
  }

  private error(content: Record<string, unknown>): void {
    this.beforeAdd();
    const tb = Array.isArray(content.traceback) ? content.traceback.map(String) : [];
    const { headChars, tailChars } = this.limits;
    const traceback = cutText(tb.join('\n'), { headChars, tailChars });
    const evalue = cutText(String(content.evalue ?? ''), { headChars, tailChars });
    const output: ErrorOutput = {
      output_type: 'error',
      ename: String(content.ename ?? ''),
      evalue: evalue.text,
      // Cut as the text a reader sees (frames joined by line breaks), one line per entry.
      traceback: traceback.cut ? traceback.text.split('\n') : tb,
    };
    this.push({ kind: 'error', output, cut: addCounts(traceback.cut, evalue.cut) });
    this.onEvent?.({ kind: 'output', output });
  }

  clear(wait: boolean): void {
    if (wait) {
      this.pendingClear = true;
      return;
    }
    this.clearNow();
  }

  private clearNow(): void {
    this.pendingClear = false;
    this.slots = [];
    this.droppedOutputs = 0;
    this.onEvent?.({ kind: 'clear' });
  }

  private update(content: RichContent): void {
    const id = content.transient?.display_id;
    if (!id) return;
    const { data, cut, droppedMime } = this.boundBundle(content.data ?? {});
    const metadata = content.metadata ?? {};
    for (const slot of this.slots) {
      if (slot.kind === 'rich' && slot.displayId === id) {
        slot.output = { ...slot.output, data, metadata };
        slot.cut = cut;
        slot.droppedMime = droppedMime;
      }
    }
    this.onEvent?.({
      kind: 'update',
      displayId: id,
      output: { output_type: 'display_data', data, metadata },
    });
  }

  private beforeAdd(): void {
    if (this.pendingClear) this.clearNow();
  }

  private push(slot: Slot): void {
    this.slots.push(slot);
    if (this.slots.length > this.limits.maxOutputs) {
      // Keep the first half and a rolling window of the latest outputs.
      const keepHead = Math.max(1, Math.floor(this.limits.maxOutputs / 2));
      this.slots.splice(keepHead, 1);
      this.droppedOutputs++;
    }
  }

  addWarning(w: string): void {
    if (!this.warnings.includes(w)) this.warnings.push(w);
  }

  private boundBundle(bundle: MimeBundle): { data: MimeBundle; cut: CutCounts; droppedMime: string[] } {
    const data: MimeBundle = {};
    let cut: CutCounts = { chars: 0, lines: 0 };
    const droppedMime: string[] = [];
    for (const [mime, raw] of Object.entries(bundle)) {
      const value = Array.isArray(raw) && raw.every((x) => typeof x === 'string') ? raw.join('') : raw;
      if (typeof value !== 'string') {
        data[mime] = value;
        continue;
      }
      if (mime.startsWith('text/')) {
        const b = cutText(value, { headChars: this.limits.headChars, tailChars: this.limits.tailChars });
        data[mime] = b.text;
        cut = addCounts(cut, b.cut);
      } else if (value.length > this.limits.maxMimeChars) {
        droppedMime.push(mime);
        cut = addCounts(cut, { chars: value.length, lines: 0 });
      } else {
        data[mime] = value;
      }
    }
    return { data, cut, droppedMime };
  }

  /** Current number of outputs (after merging). */
  get count(): number {
    return this.slots.length;
  }

  /** The outputs so far and what was cut from them. */
  finish(): { outputs: Output[]; truncated: TruncationReport | undefined } {
    const outputs: Output[] = [];
    const report: OutputTruncation[] = [];
    let total: CutCounts = { chars: 0, lines: 0 };
    this.slots.forEach((slot, index) => {
      let cut: CutCounts;
      if (slot.kind === 'stream') {
        const { text, dropped, droppedLines } = slot.text.finish();
        outputs.push({ output_type: 'stream', name: slot.name, text } satisfies StreamOutput);
        cut = { chars: dropped, lines: droppedLines };
      } else {
        outputs.push(slot.output);
        cut = slot.cut;
      }
      const mimes = slot.kind === 'rich' ? slot.droppedMime : [];
      if (cut.chars > 0 || mimes.length > 0) {
        const t: OutputTruncation = { index, droppedChars: cut.chars, droppedLines: cut.lines };
        if (mimes.length) t.droppedMimeTypes = [...mimes];
        report.push(t);
        total = addCounts(total, cut);
      }
    });
    const truncated =
      report.length > 0 || this.droppedOutputs > 0
        ? {
            outputs: report,
            droppedOutputs: this.droppedOutputs,
            droppedChars: total.chars,
            droppedLines: total.lines,
          }
        : undefined;
    return { outputs, truncated };
  }
}

function addCounts(a: CutCounts | undefined, b: CutCounts | undefined): CutCounts {
  return { chars: (a?.chars ?? 0) + (b?.chars ?? 0), lines: (a?.lines ?? 0) + (b?.lines ?? 0) };
}
