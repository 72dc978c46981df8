import { NotebookError } from './errors.js';
import { unifiedDiff } from './internal/diff.js';
import {
  CELL_ID_PATTERN,
  checkCell,
  checkOutput,
  checkTopLevel,
  normalizeOutput,
  outputsToMemoryForm,
  shallow,
  toDiskCell,
  toDiskMetadata,
  toMemoryForm,
} from './internal/format.js';
import { dumpsPy, parsePyJson } from './internal/pyjson.js';
import type { Cell, CellRef, CellType, CodeCell, JsonObject, Output } from './types.js';

type Obj = Record<string, unknown>;

/** Where to insert a cell: before `index` (omitted = append), or before/after a cell id. */
export interface InsertCellOptions {
  index?: number;
  beforeCellId?: string;
  afterCellId?: string;
  cellType: CellType;
  source?: string;
  metadata?: JsonObject;
  /** Explicit id (4.5 only); default: a fresh random id like nbformat's. */
  id?: string;
}

export interface SourceEdit {
  cell: Cell;
  index: number;
  /** Unified diff of the cell source (empty when unchanged). */
  diff: string;
  /** Number of replacements made (editSource). */
  replacements: number;
}

export interface NotebookInit {
  /** nbformat minor version (default 5). */
  nbformatMinor?: number;
  metadata?: JsonObject;
  cells?: Cell[];
}

function randomCellId(): string {
  // nbformat: uuid.uuid4().hex[:8]
  return globalThis.crypto.randomUUID().replace(/-/g, '').slice(0, 8);
}

/**
 * An nbformat v4 notebook in memory, as nbformat holds it: sources and text outputs are single strings
 * (the file stores lists of lines). Number texts parsed from a file are preserved on save.
 */
export class Notebook {
  /** Top-level object; holds unknown top-level keys and number records. */
  private readonly root: Obj;

  /** Use `parseNotebook(text)` or `Notebook.create()`. */
  constructor(root: Obj) {
    this.root = root;
  }

  /** A new empty notebook (nbformat 4.5 unless `nbformatMinor` says otherwise). */
  static create(init: NotebookInit = {}): Notebook {
    const nb = new Notebook({
      cells: [],
      metadata: init.metadata ?? {},
      nbformat: 4,
      nbformat_minor: init.nbformatMinor ?? 5,
    });
    for (const c of init.cells ?? []) {
      nb.cells.push(c);
    }
    nb.validate();
    return nb;
  }

  get cells(): Cell[] {
    return this.root.cells as Cell[];
  }
  set cells(cells: Cell[]) {
    this.root.cells = cells;
  }
  get metadata(): JsonObject {
    return this.root.metadata as JsonObject;
  }
  set metadata(m: JsonObject) {
    this.root.metadata = m;
  }
  get nbformat(): number {
    return this.root.nbformat as number;
  }
  get nbformat_minor(): number {
    return this.root.nbformat_minor as number;
  }
  /** True when cells carry ids (nbformat ≥ 4.5). */
  get hasCellIds(): boolean {
    return this.nbformat_minor >= 5;
  }
  /** `metadata.kernelspec` when present. */
  get kernelspec(): { name?: string; display_name?: string; language?: string } | undefined {
    const k = this.metadata.kernelspec;
    return k && typeof k === 'object' ? (k as { name?: string }) : undefined;
  }
  /** Kernel name from `metadata.kernelspec.name`. */
  get kernelName(): string | undefined {
    const n = this.kernelspec?.name;
    return typeof n === 'string' && n ? n : undefined;
  }
  /** Language from `metadata.language_info.name`, else `metadata.kernelspec.language` (as papermill). */
  get language(): string | undefined {
    const li = this.metadata.language_info as { name?: unknown } | undefined;
    if (li && typeof li.name === 'string' && li.name) return li.name;
    const l = this.kernelspec?.language;
    return typeof l === 'string' && l ? l : undefined;
  }

  /** The notebook as nbformat's in-memory dict (joined strings). Shares objects with the model. */
  toJSON(): Obj {
    return this.root;
  }

  /** A deep copy (numbers keep their Python form). */
  clone(): Notebook {
    return parseNotebook(serializeNotebook(this));
  }

  /** Throw `INVALID_NOTEBOOK` unless the model is a valid nbformat 4 notebook. */
  validate(): void {
    const { minor } = checkTopLevel(this.root);
    const seen = new Set<string>();
    this.cells.forEach((c, i) => {
      checkCell(c, i, minor);
      if (minor >= 5) {
        if (typeof c.id !== 'string') {
          throw new NotebookError(
            'INVALID_NOTEBOOK',
            `Invalid notebook: cell ${i} has no id (required in 4.5).`,
            {
              cellIndex: i,
              key: `cells[${i}].id`,
            },
          );
        }
        if (seen.has(c.id)) {
          throw new NotebookError(
            'INVALID_NOTEBOOK',
            `Invalid notebook: cell ${i} repeats cell id '${c.id}'; ids must be unique.`,
            { cellIndex: i, key: `cells[${i}].id` },
          );
        }
        seen.add(c.id);
      }
    });
  }

  // -------------------------------------------------------------------------------------------
  // Addressing

  /** Resolve a cell by index (number) or id (string). */
  resolveCell(ref: CellRef): { index: number; cell: Cell } {
    const index = this.indexOf(ref);
    return { index, cell: this.cells[index]! };
  }

  /** Index of a cell given by index or id; throws `CELL_NOT_FOUND` / `CELL_IDS_UNSUPPORTED`. */
  indexOf(ref: CellRef): number {
    const n = this.cells.length;
    if (typeof ref === 'number') {
      if (!Number.isInteger(ref) || ref < 0 || ref >= n) {
        throw new NotebookError(
          'CELL_NOT_FOUND',
          `No cell at index ${ref}: the notebook has ${n} cell${n === 1 ? '' : 's'} (valid indices ${n ? `0–${n - 1}` : 'none'}).`,
        );
      }
      return ref;
    }
    if (typeof ref !== 'string') {
      throw new NotebookError(
        'INVALID_ARGUMENT',
        `A cell is addressed by an index (number) or a cell id (string), got ${typeof ref}.`,
      );
    }
    if (!this.cells.some((c) => typeof c.id === 'string')) this.requireIds(`find cell id '${ref}'`);
    const i = this.cells.findIndex((c) => c.id === ref);
    if (i < 0) {
      throw new NotebookError(
        'CELL_NOT_FOUND',
        `No cell with id '${ref}' in this notebook (${n} cells). List the cells to get current ids, or address the cell by index.`,
      );
    }
    return i;
  }

  private requireIds(action: string): void {
    if (!this.hasCellIds) {
      throw new NotebookError(
        'CELL_IDS_UNSUPPORTED',
        `Cannot ${action}: this notebook is nbformat 4.${this.nbformat_minor}, whose cells have no ids. ` +
          'Address cells by index, or upgrade the notebook to 4.5 explicitly (upgradeToV4_5).',
      );
    }
  }

  /** Indices of cells carrying `tag` in `metadata.tags`. */
  findCellsByTag(tag: string): number[] {
    const out: number[] = [];
    this.cells.forEach((c, i) => {
      const tags = c.metadata?.tags;
      if (Array.isArray(tags) && tags.includes(tag)) out.push(i);
    });
    return out;
  }

  /** A new cell id unique in this notebook. */
  newCellId(): string {
    const used = new Set(this.cells.map((c) => c.id));
    for (;;) {
      const id = randomCellId();
      if (!used.has(id)) return id;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Cell operations

  /** Insert a cell and return it (with a fresh id in 4.5 notebooks). */
  insertCell(options: InsertCellOptions): { index: number; cell: Cell } {
    const { cellType } = options;
    if (cellType !== 'code' && cellType !== 'markdown' && cellType !== 'raw') {
      throw new NotebookError(
        'INVALID_ARGUMENT',
        `cellType must be 'code', 'markdown' or 'raw', got ${JSON.stringify(cellType)}.`,
      );
    }
    const given = [
      options.index !== undefined,
      options.beforeCellId !== undefined,
      options.afterCellId !== undefined,
    ];
    if (given.filter(Boolean).length > 1) {
      throw new NotebookError('INVALID_ARGUMENT', 'Give at most one of index, beforeCellId, afterCellId.');
    }
    let at = this.cells.length;
    if (options.index !== undefined) {
      const n = this.cells.length;
      if (!Number.isInteger(options.index) || options.index < 0 || options.index > n) {
        throw new NotebookError(
          'CELL_NOT_FOUND',
          `Cannot insert at index ${options.index}: valid positions are 0–${n} (${n} = append).`,
        );
      }
      at = options.index;
    } else if (options.beforeCellId !== undefined) at = this.indexOf(options.beforeCellId);
    else if (options.afterCellId !== undefined) at = this.indexOf(options.afterCellId) + 1;
    const cell = this.makeCell(cellType, options.source ?? '', options.metadata ?? {}, options.id);
    this.cells.splice(at, 0, cell);
    return { index: at, cell };
  }

  private makeCell(cellType: CellType, source: string, metadata: JsonObject, id?: string): Cell {
    if (typeof source !== 'string') {
      throw new NotebookError('INVALID_ARGUMENT', `source must be a string, got ${typeof source}.`);
    }
    const cell: Obj = { cell_type: cellType, metadata: { ...metadata }, source };
    if (cellType === 'code') {
      cell.execution_count = null;
      cell.outputs = [];
    }
    if (this.hasCellIds) {
      if (id !== undefined) {
        if (!CELL_ID_PATTERN.test(id)) {
          throw new NotebookError(
            'INVALID_ARGUMENT',
            `Cell id ${JSON.stringify(id)} is invalid: use 1–64 characters of [a-zA-Z0-9-_].`,
          );
        }
        if (this.cells.some((c) => c.id === id)) {
          throw new NotebookError(
            'INVALID_ARGUMENT',
            `Cell id '${id}' is already used in this notebook; ids must be unique.`,
          );
        }
        cell.id = id;
      } else cell.id = this.newCellId();
    } else if (id !== undefined) {
      this.requireIds('give a new cell an id');
    }
    return cell as Cell;
  }

  private label(index: number): string {
    const id = this.cells[index]?.id;
    return id ? `cell ${index} (id ${id})` : `cell ${index}`;
  }

  /** Replace a cell's whole source. */
  replaceSource(ref: CellRef, source: string): SourceEdit {
    if (typeof source !== 'string') {
      throw new NotebookError('INVALID_ARGUMENT', `source must be a string, got ${typeof source}.`);
    }
    const { index, cell } = this.resolveCell(ref);
    const before = cell.source;
    cell.source = source;
    const l = this.label(index);
    return {
      cell,
      index,
      diff: unifiedDiff(before, source, `a/${l}`, `b/${l}`),
      replacements: before === source ? 0 : 1,
    };
  }

  /**
   * Replace `oldText` by `newText` in a cell's source. `oldText` must occur exactly once unless
   * `replaceAll` (then every non-overlapping occurrence is replaced).
   */
  editSource(
    ref: CellRef,
    oldText: string,
    newText: string,
    options: { replaceAll?: boolean } = {},
  ): SourceEdit {
    if (typeof oldText !== 'string' || oldText.length === 0) {
      throw new NotebookError('INVALID_ARGUMENT', 'The text to replace must be a non-empty string.');
    }
    if (typeof newText !== 'string') {
      throw new NotebookError('INVALID_ARGUMENT', `The replacement must be a string, got ${typeof newText}.`);
    }
    const { index, cell } = this.resolveCell(ref);
    const parts = cell.source.split(oldText);
    const count = parts.length - 1;
    if (count === 0) {
      throw new NotebookError(
        'NO_MATCH',
        `The text to replace was not found in ${this.label(index)}. Read the cell's current source and copy the exact text (whitespace and line breaks included).`,
        { cellIndex: index },
      );
    }
    if (count > 1 && !options.replaceAll) {
      throw new NotebookError(
        'AMBIGUOUS_MATCH',
        `The text to replace occurs ${count} times in ${this.label(index)}. Include more surrounding text to make it unique, or ask to replace all occurrences.`,
        { cellIndex: index },
      );
    }
    const before = cell.source;
    cell.source = parts.join(newText);
    const l = this.label(index);
    return { cell, index, diff: unifiedDiff(before, cell.source, `a/${l}`, `b/${l}`), replacements: count };
  }

  /** Delete cells (by indices and/or ids, resolved before anything is removed). Returns them in order. */
  deleteCells(refs: CellRef[] | CellRef): Cell[] {
    const list = Array.isArray(refs) ? refs : [refs];
    const indices = [...new Set(list.map((r) => this.indexOf(r)))].sort((a, b) => a - b);
    const removed = indices.map((i) => this.cells[i]!);
    for (let k = indices.length - 1; k >= 0; k--) this.cells.splice(indices[k]!, 1);
    return removed;
  }

  /** Move a cell so that it ends up at position `toIndex` (0 … cells.length − 1). */
  moveCell(ref: CellRef, toIndex: number): { from: number; to: number; cell: Cell } {
    const from = this.indexOf(ref);
    const n = this.cells.length;
    if (!Number.isInteger(toIndex) || toIndex < 0 || toIndex >= n) {
      throw new NotebookError(
        'CELL_NOT_FOUND',
        `Cannot move to index ${toIndex}: valid targets are 0–${n - 1}.`,
      );
    }
    const [cell] = this.cells.splice(from, 1);
    this.cells.splice(toIndex, 0, cell!);
    return { from, to: toIndex, cell: cell! };
  }

  /** Change a cell's type, keeping id, source and metadata (outputs go when leaving code; attachments
   *  go when becoming code). */
  changeCellType(ref: CellRef, cellType: CellType): Cell {
    if (cellType !== 'code' && cellType !== 'markdown' && cellType !== 'raw') {
      throw new NotebookError(
        'INVALID_ARGUMENT',
        `cellType must be 'code', 'markdown' or 'raw', got ${JSON.stringify(cellType)}.`,
      );
    }
    const { cell } = this.resolveCell(ref);
    const c = cell as Obj;
    if (c.cell_type === cellType) return cell;
    if (cellType === 'code') {
      delete c.attachments;
      c.outputs = [];
      c.execution_count = null;
    } else {
      delete c.outputs;
      delete c.execution_count;
    }
    c.cell_type = cellType;
    return cell;
  }

  /** Clear outputs and execution counts of the given code cells (default: all). Returns how many. */
  clearOutputs(refs?: CellRef[]): number {
    const indices = refs ? [...new Set(refs.map((r) => this.indexOf(r)))] : this.cells.map((_, i) => i);
    let cleared = 0;
    for (const i of indices) {
      const c = this.cells[i]!;
      if (c.cell_type !== 'code') continue;
      if (c.outputs.length > 0 || c.execution_count !== null) cleared++;
      c.outputs = [];
      c.execution_count = null;
    }
    return cleared;
  }

  /** Record the outputs and execution count of a run of a code cell. Outputs are copied keeping only
   *  the keys nbformat allows (e.g. a kernel's `transient` is dropped), validated, and text held as lists
   *  of lines is joined as nbformat does. */
  setOutputs(ref: CellRef, outputs: Output[], executionCount: number | null): CodeCell {
    const { index, cell } = this.resolveCell(ref);
    if (cell.cell_type !== 'code') {
      throw new NotebookError(
        'INVALID_ARGUMENT',
        `${this.label(index)} is a ${cell.cell_type} cell; only code cells have outputs.`,
        {
          cellIndex: index,
        },
      );
    }
    if (!Array.isArray(outputs)) throw new NotebookError('INVALID_ARGUMENT', 'outputs must be a list.');
    const normalized = outputs.map((o) => normalizeOutput(o, executionCount ?? null));
    normalized.forEach((o, j) => {
      checkOutput(o, `cells[${index}].outputs[${j}]`, index);
    });
    if (executionCount !== null && !(Number.isInteger(executionCount) && executionCount >= 0)) {
      throw new NotebookError(
        'INVALID_ARGUMENT',
        `executionCount must be a non-negative integer or null, got ${executionCount}.`,
      );
    }
    outputsToMemoryForm(normalized as Obj[]);
    cell.outputs = normalized as Output[];
    cell.execution_count = executionCount;
    return cell;
  }

  /** Tags of a cell (`metadata.tags`, [] when absent). */
  getTags(ref: CellRef): string[] {
    const tags = this.resolveCell(ref).cell.metadata.tags;
    return Array.isArray(tags) ? (tags as string[]).slice() : [];
  }

  /** Set a cell's tags (empty list removes `metadata.tags`). */
  setTags(ref: CellRef, tags: string[]): Cell {
    if (
      !Array.isArray(tags) ||
      !tags.every((t) => typeof t === 'string' && t.length > 0 && !t.includes(','))
    ) {
      throw new NotebookError('INVALID_ARGUMENT', 'tags must be a list of non-empty strings without commas.');
    }
    const { cell } = this.resolveCell(ref);
    if (tags.length === 0) delete cell.metadata.tags;
    else cell.metadata.tags = [...new Set(tags)];
    return cell;
  }

  /** Merge keys into a cell's metadata; a `null` value deletes the key. */
  updateCellMetadata(ref: CellRef, patch: JsonObject): Cell {
    const { cell } = this.resolveCell(ref);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || v === undefined) delete cell.metadata[k];
      else cell.metadata[k] = v;
    }
    return cell;
  }

  /** Merge keys into the notebook metadata; a `null` value deletes the key. */
  updateMetadata(patch: JsonObject): void {
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || v === undefined) delete this.metadata[k];
      else this.metadata[k] = v;
    }
  }

  /** Upgrade a 4.0–4.4 notebook to 4.5: set nbformat_minor 5 and give every cell an id. Returns false
   *  when already 4.5+. This is never done implicitly. */
  upgradeToV4_5(): boolean {
    if (this.nbformat_minor >= 5) return false;
    this.root.nbformat_minor = 5;
    for (const c of this.cells) c.id = this.newCellId();
    return true;
  }
}

/**
 * Parse notebook JSON text (nbformat 4.0–4.5) as nbformat's reader does. Throws `NotebookError`
 * (`INVALID_JSON`, `UNSUPPORTED_NBFORMAT`, `INVALID_NOTEBOOK` naming the cell and key).
 */
export function parseNotebook(text: string): Notebook {
  if (typeof text !== 'string') {
    throw new NotebookError(
      'INVALID_ARGUMENT',
      `parseNotebook expects the notebook's text, got ${typeof text}.`,
    );
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') {
    throw new NotebookError(
      'INVALID_JSON',
      'The notebook file is empty. Restore it from version control or a checkpoint.',
    );
  }
  return notebookFromData(parsePyJson(body));
}

/** Build a notebook from an already-parsed nbformat dict (e.g. Contents API `content`). Takes ownership
 *  of `data` (it is modified in place). */
export function notebookFromData(data: unknown): Notebook {
  const { minor } = checkTopLevel(data);
  const root = data as Obj;
  (root.cells as unknown[]).forEach((c, i) => {
    checkCell(c, i, minor);
  });
  toMemoryForm(root);
  if (minor >= 5) {
    // nbformat's reader gives missing ids fresh ones and repairs duplicates.
    const seen = new Set<string>();
    const nb = new Notebook(root);
    for (const c of nb.cells) {
      if (typeof c.id !== 'string' || seen.has(c.id)) c.id = undefined;
      else seen.add(c.id);
    }
    for (const c of nb.cells) {
      if (c.id === undefined) {
        c.id = nb.newCellId();
        seen.add(c.id);
      }
    }
    return nb;
  }
  return new Notebook(root);
}

/** The exact bytes nbformat's writer (`nbformat.write`) produces for this notebook, trailing newline
 *  included. Throws `INVALID_NOTEBOOK` when the model is not a valid notebook. */
export function serializeNotebook(nb: Notebook): string {
  nb.validate();
  const root = shallow(nb.toJSON());
  root.cells = nb.cells.map((c) => toDiskCell(c as Obj));
  root.metadata = toDiskMetadata(nb.metadata as Obj);
  return `${dumpsPy(root)}\n`;
}
