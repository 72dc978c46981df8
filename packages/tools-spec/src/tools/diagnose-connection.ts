import { z } from 'zod';
import { ToolError } from '../errors.js';
import { boundText } from '../render/text.js';
import { defineTool, ok } from '../tool.js';

export const diagnoseConnection = defineTool({
  name: 'diagnose_connection',
  title: 'Diagnose the Jupyter connection',
  description:
    'Run the doctor on the Jupyter connection: cause and fix of 401/403, token, XSRF, proxy or websocket problems. Use it when Jupyter tools fail.',
  inputSchema: {},
  outputSchema: {
    ok: z.boolean(),
    findings: z.array(
      z.object({
        code: z.string(),
        severity: z.string(),
        summary: z.string(),
        explanation: z.string().optional(),
        fix: z.string().optional(),
      }),
    ),
  },
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  needsJupyter: false,
  async handler(_args, ctx) {
    if (!ctx.deps.diagnoser)
      throw new ToolError('NOT_MANAGED', 'The doctor is not available in this app.', {
        hint: 'Run `jupyter-mcp doctor` in a terminal.',
      });
    const report = await ctx.deps.diagnoser.diagnose({ signal: ctx.signal });
    const findings = report.findings.map((f) => ({
      code: f.code,
      severity: f.severity,
      summary: f.summary,
      ...(f.explanation ? { explanation: f.explanation } : {}),
      ...(f.fix ? { fix: f.fix } : {}),
    }));
    const text = boundText(
      report.text || (report.ok ? 'No problem found.' : 'Problems found.'),
      ctx.deps.settings.outputLimit,
    ).text;
    return ok(text, { ok: report.ok, findings });
  },
});
