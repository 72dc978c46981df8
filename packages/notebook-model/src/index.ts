export {
  DEFAULT_MAX_NOTEBOOK_SIZE,
  formatBytes,
} from './documents/common.js';
export { ContentsDocuments, type ContentsDocumentsOptions } from './documents/contents-documents.js';
export { FileDocuments, type FileDocumentsOptions } from './documents/file-documents.js';
export { PathQueue } from './documents/path-queue.js';
export type {
  DocumentsMode,
  NotebookChange,
  NotebookDocuments,
  NotebookSnapshot,
  UpdateResult,
  WriteOptions,
  WriteResult,
} from './documents/types.js';
export { NotebookError, type NotebookErrorCode, type NotebookErrorDetails } from './errors.js';
export { splitLinesKeepEnds } from './internal/lines.js';
export { markFloat, pyFloatRepr } from './internal/pyjson.js';
export { LocalRoot, type LocalRootOptions, type ResolvedPath, realPathOf } from './local-root.js';
export {
  type InsertCellOptions,
  Notebook,
  type NotebookInit,
  notebookFromData,
  parseNotebook,
  type SourceEdit,
  serializeNotebook,
} from './notebook.js';
export {
  type InjectedParameters,
  type InjectParametersOptions,
  injectParameters,
  type ParameterLanguage,
  type ParameterValue,
  renderParameters,
  renderValue,
  resolveParameterLanguage,
} from './parameters.js';
export { ContentsStore, type ContentsStoreOptions } from './stores/contents-store.js';
export { FileStore, type FileStoreOptions } from './stores/file-store.js';
export type {
  FileContent,
  ListResult,
  NotebookStore,
  NotebookVersion,
  ReadResult,
  SaveOptions,
  StoreEntry,
} from './stores/types.js';
export type {
  Cell,
  CellRef,
  CellType,
  CodeCell,
  DisplayDataOutput,
  ErrorOutput,
  ExecuteResultOutput,
  JsonObject,
  MarkdownCell,
  MimeBundle,
  Output,
  RawCell,
  StreamOutput,
} from './types.js';
