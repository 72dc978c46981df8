import { hasHtmlTable, htmlToText } from './html.js';
import { cleanStreamText, stripAnsi, trimTraceback } from './text.js';

/** An nbformat v4 output as both kernel-client and notebook-model hand them out (text joined). */
export interface AnyOutput {
  output_type: string;
  name?: string;
  text?: unknown;
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  execution_count?: number | null;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

export interface ImageBlock {
  type: 'image';
  data: string;
  mimeType: string;
}

export interface RenderedOutputs {
  /** Readable text of every output, in order (not yet bounded: the caller bounds the whole result). */
  text: string;
  images: ImageBlock[];
  /** Things the reader should know (images left out, HTML converted…), also present in `text`. */
  notes: string[];
  /** `ename: evalue` of the first error output. */
  error: { ename: string; evalue: string } | undefined;
}

export interface RenderOptions {
  /** Largest decoded image size returned as image content. */
  imageLimitBytes: number;
  /** Budget of decoded image bytes shared by all images of one result (default: imageLimitBytes). */
  imageBudgetBytes?: number;
  /** Where the full output can be found, for notes (e.g. `cell 3 of a.ipynb`). */
  location?: string;
}

/** Text MIME types in the order they are used when `text/plain` is missing or a bare object repr. */
export const TEXT_MIME_PREFERENCE = [
  'text/llm+plain',
  'text/plain',
  'text/markdown',
  'text/html',
  'application/json',
  'text/latex',
] as const;

const WIDGET_MIME = 'application/vnd.jupyter.widget-view+json';
const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

/** `<IPython.core.display.HTML object>`, `<__main__.Foo object at 0x7f…>`: a repr that says nothing. */
export function isBareRepr(text: string): boolean {
  return /^<[^<>\n]* object(?: at 0x[0-9a-fA-F]+)?>$/.test(text.trim());
}

export const IMAGE_MIME_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join('');
  return JSON.stringify(value, null, 2) ?? '';
}

function decodedSize(base64: string): number {
  const clean = base64.replace(/\s/g, '');
  const pad = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.floor((clean.length * 3) / 4) - pad;
}

function humanBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * The text a model gets from a mime bundle: `text/plain` unless it is a bare object repr or the bundle
 * has an HTML table (pandas carries both: the table becomes a markdown table); then markdown, HTML as
 * text, pretty-printed JSON, LaTeX. Widgets and plotly figures are described in one line.
 */
function bundleText(
  data: Record<string, unknown>,
  imageShown: boolean,
): { text: string; note?: string } | undefined {
  const plain = data['text/plain'] === undefined ? undefined : stripAnsi(asText(data['text/plain']));
  const readablePlain = plain !== undefined && !isBareRepr(plain) ? plain : undefined;
  if (data['text/llm+plain'] !== undefined) return { text: asText(data['text/llm+plain']) };
  if (data[WIDGET_MIME] !== undefined)
    return {
      text: `[interactive widget${readablePlain ? ` ${firstLine(readablePlain)}` : ''}: shown in JupyterLab; its state is not text]`,
    };
  if (data[PLOTLY_MIME] !== undefined) return { text: plotlyLine(data[PLOTLY_MIME]) };
  const html = data['text/html'] === undefined ? undefined : asText(data['text/html']);
  if (readablePlain !== undefined && !(html && hasHtmlTable(html))) {
    // With an image shown, a default matplotlib repr like "<Figure size 640x480 with 1 Axes>" is noise.
    if (imageShown && /^<[^>]*>$/.test(readablePlain.trim())) return undefined;
    return { text: readablePlain };
  }
  if (html && hasHtmlTable(html)) return { text: htmlToText(html) };
  if (data['text/markdown'] !== undefined) return { text: asText(data['text/markdown']) };
  if (html !== undefined) return { text: htmlToText(html), note: '[HTML output shown as text]' };
  if (data['application/json'] !== undefined)
    return { text: JSON.stringify(data['application/json'], null, 2) };
  if (data['text/latex'] !== undefined) return { text: asText(data['text/latex']) };
  if (plain !== undefined && !imageShown) return { text: plain };
  return undefined;
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

/** `[plotly figure "Sales": 2 traces (scatter, bar); interactive, shown in JupyterLab]`. */
function plotlyLine(value: unknown): string {
  const fig = (value && typeof value === 'object' ? value : {}) as {
    data?: Array<{ type?: string }>;
    layout?: { title?: string | { text?: string } };
  };
  const traces = Array.isArray(fig.data) ? fig.data : [];
  const types = [...new Set(traces.map((t) => t?.type ?? 'scatter'))];
  const t = fig.layout?.title;
  const title = typeof t === 'string' ? t : t?.text;
  const what = `${traces.length} trace${traces.length === 1 ? '' : 's'}${types.length ? ` (${types.join(', ')})` : ''}`;
  return `[plotly figure${title ? ` ${JSON.stringify(firstLine(title))}` : ''}: ${what}; interactive, shown in JupyterLab]`;
}

/** Choose what to show of one mime bundle. */
export function renderMimeBundle(
  data: Record<string, unknown>,
  options: RenderOptions,
  budget: { left: number },
): { text: string; images: ImageBlock[]; notes: string[] } {
  const notes: string[] = [];
  const images: ImageBlock[] = [];
  const parts: string[] = [];
  const where = options.location
    ? ` (it is kept in ${options.location})`
    : ' (it is kept in the notebook output)';
  for (const mime of IMAGE_MIME_TYPES) {
    const v = data[mime];
    if (v === undefined) continue;
    const b64 = asText(v).replace(/\s/g, '');
    const size = decodedSize(b64);
    if (size <= options.imageLimitBytes && size <= budget.left) {
      images.push({ type: 'image', data: b64, mimeType: mime });
      budget.left -= size;
      parts.push(`[${mime} image, ${humanBytes(size)}: returned as image content]`);
    } else if (options.imageLimitBytes === 0) {
      // Listing mode (read_notebook): images are never inlined; say where they are.
      const note = `[${mime} image, ${humanBytes(size)}${options.location ? `: ${options.location}` : ''}]`;
      notes.push(note);
      parts.push(note);
    } else {
      const why =
        size > options.imageLimitBytes
          ? `over the ${humanBytes(options.imageLimitBytes)} image limit`
          : 'the image budget of this result is used up';
      const note = `[${mime} image of ${humanBytes(size)} not returned: ${why}${where}; save it to a file or make it smaller]`;
      notes.push(note);
      parts.push(note);
    }
    break;
  }
  const chosen = bundleText(data, images.length > 0);
  if (chosen) {
    if (chosen.note) notes.push(chosen.note);
    parts.push(chosen.note ? `${chosen.note}\n${chosen.text}` : chosen.text);
  } else if (!parts.length) {
    const kinds = Object.keys(data);
    const note = kinds.length
      ? `[output of type ${kinds.join(', ')} cannot be shown as text${where}]`
      : '[empty output]';
    notes.push(note);
    parts.push(note);
  }
  return { text: parts.join('\n'), images, notes };
}

/**
 * Render nbformat outputs for a language model: streams merged per name with progress bars collapsed
 * and ANSI stripped; rich outputs by MIME preference; images as image content under the cap; errors
 * as `ename: evalue` plus a trimmed traceback.
 */
export function renderOutputs(outputs: readonly AnyOutput[], options: RenderOptions): RenderedOutputs {
  const blocks: string[] = [];
  const images: ImageBlock[] = [];
  const notes: string[] = [];
  const budget = { left: options.imageBudgetBytes ?? options.imageLimitBytes };
  let error: RenderedOutputs['error'];
  let stream: { name: string; text: string } | undefined;
  const flush = () => {
    if (!stream) return;
    let t = cleanStreamText(stream.text);
    if (t.endsWith('\n')) t = t.slice(0, -1);
    blocks.push(stream.name === 'stderr' ? `[stderr]\n${t}` : t);
    stream = undefined;
  };
  for (const out of outputs) {
    if (out.output_type === 'stream') {
      const name = out.name ?? 'stdout';
      const text = asText(out.text ?? '');
      if (stream && stream.name === name) stream.text += text;
      else {
        flush();
        stream = { name, text };
      }
      continue;
    }
    flush();
    if (out.output_type === 'error') {
      const ename = out.ename ?? 'Error';
      const evalue = stripAnsi(out.evalue ?? '');
      error ??= { ename, evalue };
      const tb = trimTraceback(out.traceback ?? []);
      blocks.push(`${ename}: ${evalue}${tb ? `\nTraceback:\n${tb}` : ''}`);
      continue;
    }
    if (out.output_type === 'execute_result' || out.output_type === 'display_data') {
      const r = renderMimeBundle(out.data ?? {}, options, budget);
      // A table (or heading) keeps its first line: the label goes on a line of its own.
      const prefix =
        out.output_type === 'execute_result' && out.execution_count != null
          ? `Out[${out.execution_count}]:${/^[|#]/.test(r.text) ? '\n' : ' '}`
          : '';
      blocks.push(prefix + r.text);
      images.push(...r.images);
      notes.push(...r.notes);
      continue;
    }
    const note = `[unknown output type ${out.output_type}]`;
    notes.push(note);
    blocks.push(note);
  }
  flush();
  return { text: blocks.join('\n'), images, notes, error };
}
