export {
  CATALOGUE,
  type CatalogueEntry,
  CHECKS,
  type CheckId,
  catalogueEntry,
  FINDING_CODES,
  type FindingCode,
  renderCatalogueMarkdown,
} from './catalogue.js';
export { AUTH_ENDPOINTS, authSummary, diagnose } from './diagnose.js';
export { DoctorError, type DoctorErrorCode } from './errors.js';
export { listLocalServers } from './internal/discover.js';
export { type RenderOptions, renderDoctorReport, renderMatrix } from './render.js';
export { buildMatrix, runDoctor } from './run.js';
export type {
  CheckResult,
  DiscoveredServer,
  DoctorOptions,
  DoctorReport,
  Finding,
  MatrixRow,
  Observations,
  Probe,
  ProbeAuth,
  ProbeError,
  ServerKind,
  Severity,
} from './types.js';
