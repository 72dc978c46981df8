import { JupyterAuthError, JupyterHttpError, JupyterNetworkError } from '@jupyter-mcp/jupyter-auth';
import { describe, expect, it } from 'vitest';
import { KernelClientError, toKernelClientError } from '../src/errors.js';

const http = (status: number) =>
  new JupyterHttpError({
    status,
    serverMessage: 'x',
    method: 'GET',
    path: '/api/kernels/k',
    message: `GET answered ${status}`,
  });

describe('toKernelClientError', () => {
  it('maps 404 to the not-found code the caller names, with its hint', () => {
    const e = toKernelClientError(http(404), 'Attaching to kernel k', {
      notFound: 'KERNEL_NOT_FOUND',
      notFoundHint: 'List them.',
      kernelId: 'k',
    });
    expect(e).toBeInstanceOf(KernelClientError);
    expect(e.code).toBe('KERNEL_NOT_FOUND');
    expect(e.kernelId).toBe('k');
    expect(e.message).toBe('Attaching to kernel k: the server answered 404 Not Found. List them.');
  });

  it('maps 401/403 to AUTH_FAILED and other statuses to SERVER_ERROR', () => {
    expect(toKernelClientError(http(403), 'Listing kernels').code).toBe('AUTH_FAILED');
    expect(toKernelClientError(http(401), 'Listing kernels').code).toBe('AUTH_FAILED');
    expect(toKernelClientError(http(404), 'Listing kernels').code).toBe('SERVER_ERROR');
    expect(toKernelClientError(http(500), 'Listing kernels').code).toBe('SERVER_ERROR');
  });

  it('maps network failures (also on the websocket handshake) to SERVER_UNREACHABLE', () => {
    const net = new JupyterNetworkError('CONNECTION_REFUSED', {
      method: 'GET',
      url: 'http://h/api',
      message: 'refused',
    });
    expect(toKernelClientError(net, 'Listing kernels').code).toBe('SERVER_UNREACHABLE');
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const ws = new JupyterAuthError('WEBSOCKET_FAILED', 'Websocket failed', { cause: refused });
    expect(toKernelClientError(ws, 'Connecting').code).toBe('SERVER_UNREACHABLE');
    const denied = new JupyterAuthError('WEBSOCKET_FAILED', 'Websocket handshake was refused with HTTP 403');
    expect(toKernelClientError(denied, 'Connecting').code).toBe('AUTH_FAILED');
  });

  it('passes KernelClientErrors through and wraps anything else', () => {
    const own = new KernelClientError('KERNEL_DIED', 'dead');
    expect(toKernelClientError(own, 'x')).toBe(own);
    const e = toKernelClientError(new TypeError('boom'), 'Doing x');
    expect(e.code).toBe('SERVER_ERROR');
    expect(e.message).toBe('Doing x: boom');
    expect(e.cause).toBeInstanceOf(TypeError);
  });
});
