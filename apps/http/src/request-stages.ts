import type { Stage } from './pipeline.js';
import { accessLog } from './stages/access-log.js';
import { authenticate } from './stages/auth.js';
import { hostCheck, originCheck } from './stages/host-origin.js';
import { callLimit, jsonBody, notStopping } from './stages/limits.js';
import { mcpOnly, metricsRoute } from './stages/metrics-route.js';
import { probes } from './stages/probes.js';
import { ignoreTaskAugmentation, rpcShape } from './stages/rpc-shape.js';
import { dispatchToSession, findSession, openSession, postOnly, sessionStream } from './stages/session.js';
import { dispatchStateless, statelessPostOnly } from './stages/stateless.js';

/** Every request: log, probes (open to orchestrators), Host/Origin checks, /metrics, then /mcp with auth. */
export const FRONT_STAGES: readonly Stage[] = [
  accessLog,
  probes,
  hostCheck,
  originCheck,
  metricsRoute,
  mcpOnly,
  authenticate,
  notStopping,
];

/** `/mcp` with sessions: find or open the session, apply its limits, hand over to its transport. */
export const SESSION_STAGES: readonly Stage[] = [
  findSession,
  sessionStream,
  postOnly,
  jsonBody,
  rpcShape,
  openSession,
  callLimit,
  dispatchToSession,
];

/** `/mcp` with `--stateless`. */
export const STATELESS_STAGES: readonly Stage[] = [
  statelessPostOnly,
  jsonBody,
  rpcShape,
  ignoreTaskAugmentation,
  dispatchStateless,
];

/** The request pipeline of a server. */
export function requestStages(stateless: boolean): readonly Stage[] {
  return [...FRONT_STAGES, ...(stateless ? STATELESS_STAGES : SESSION_STAGES)];
}
