/** A JSON object as stored in notebook metadata. */
export type JsonObject = { [key: string]: unknown };

export type CellType = 'code' | 'markdown' | 'raw';

/** MIME type → value. Text-like values are strings (lines joined); JSON MIME types hold JSON. */
export type MimeBundle = { [mimeType: string]: unknown };

export interface StreamOutput {
  output_type: 'stream';
  name: 'stdout' | 'stderr' | (string & {});
  text: string;
  [key: string]: unknown;
}

export interface DisplayDataOutput {
  output_type: 'display_data';
  data: MimeBundle;
  metadata: JsonObject;
  [key: string]: unknown;
}

export interface ExecuteResultOutput {
  output_type: 'execute_result';
  execution_count: number | null;
  data: MimeBundle;
  metadata: JsonObject;
  [key: string]: unknown;
}

export interface ErrorOutput {
  output_type: 'error';
  ename: string;
  evalue: string;
  traceback: string[];
  [key: string]: unknown;
}

export type Output = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

interface CellBase {
  /** Present in nbformat 4.5+ notebooks only. */
  id?: string;
  /** The whole source as one string (the file stores it as a list of lines). */
  source: string;
  metadata: JsonObject;
  [key: string]: unknown;
}

export interface CodeCell extends CellBase {
  cell_type: 'code';
  outputs: Output[];
  execution_count: number | null;
}

export interface MarkdownCell extends CellBase {
  cell_type: 'markdown';
  attachments?: { [name: string]: MimeBundle };
}

export interface RawCell extends CellBase {
  cell_type: 'raw';
  attachments?: { [name: string]: MimeBundle };
}

export type Cell = CodeCell | MarkdownCell | RawCell;

/** A cell address: an index (number) or a cell id (string, nbformat 4.5+). */
export type CellRef = number | string;
