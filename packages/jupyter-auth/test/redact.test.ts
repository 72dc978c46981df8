import { describe, expect, it } from 'vitest';
import { Redactor, redactSecrets } from '../src/redact.js';

describe('Redactor', () => {
  it('removes known secrets and generic token patterns', () => {
    const r = new Redactor(['abcdef123456']);
    expect(r.redact('token abcdef123456 here')).toBe('token [REDACTED] here');
    expect(redactSecrets('403 POST /api/kernels?token=zzz&x=1')).toBe(
      '403 POST /api/kernels?token=[REDACTED]&x=1',
    );
    expect(redactSecrets('Authorization: token qqqq')).toBe('Authorization: token [REDACTED]');
    expect(redactSecrets('<body data-jupyter-api-token="secretvalue">')).toBe(
      '<body data-jupyter-api-token="[REDACTED]">',
    );
    expect(redactSecrets('Cookie: username-127-0-0-1-8888="2|abc"')).toBe('Cookie: [REDACTED]');
  });
});
