import { DoctorError } from '@jupyter-mcp/doctor';
import { JupyterAuthError, JupyterHttpError, JupyterMcpError } from '@jupyter-mcp/jupyter-auth';
import { KernelClientError } from '@jupyter-mcp/kernel-client';
import { NotebookError } from '@jupyter-mcp/notebook-model';
import { ToolError } from '@jupyter-mcp/tools-spec';
import { describe, expect, it } from 'vitest';
import { AppCoreError, ConfigError } from '../src/index.js';

describe('one error root', () => {
  it('every package error is a JupyterMcpError with its code and cause', () => {
    const cause = new Error('inner');
    const errors = [
      new JupyterAuthError('INVALID_URL', 'bad url', { cause }),
      new JupyterHttpError({ status: 403, method: 'GET', path: 'api', serverMessage: '', message: 'no' }),
      new DoctorError('INVALID_OPTIONS', 'bad', { cause }),
      new KernelClientError('KERNEL_DIED', 'died', { cause }),
      new NotebookError('CONFLICT', 'changed', { cause }),
      new ToolError('INVALID_ARGUMENT', 'bad arg', { cause, hint: 'fix it' }),
      new AppCoreError('JUPYTER_NOT_FOUND', 'missing', { cause }),
      new ConfigError('bad flag'),
    ];
    for (const e of errors) {
      expect(e).toBeInstanceOf(JupyterMcpError);
      expect(e).toBeInstanceOf(Error);
      expect(e.code).toMatch(/^[A-Z][A-Z0-9_]+$/);
    }
    expect(errors[0]?.cause).toBe(cause);
    expect(errors[5]?.cause).toBe(cause);
  });
});
