import {
  CONTENT_SECURITY_POLICY,
  contentSecurityPolicy,
  securityHeaders,
  serializeCsp,
} from './security-headers';

function headersFor(
  path: string,
  options: Parameters<typeof securityHeaders>[0] = {},
): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string | string[]) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
    getHeader: (name: string) => headers[name.toLowerCase()],
  };
  let called = 0;
  securityHeaders(options)({ url: path, originalUrl: path }, response, () => {
    called += 1;
  });
  expect(called).toBe(1);
  return headers;
}

describe('security headers', () => {
  it('extends the policy by adding sources, never dropping the base ones', () => {
    const extended = contentSecurityPolicy({
      'connect-src': ['https://idp.example'],
      'frame-src': ["'self'"],
    });
    expect(extended['connect-src']).toEqual(["'self'", 'https://idp.example']);
    expect(extended['frame-src']).toEqual(["'self'"]);
    expect(extended['script-src']).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY['connect-src']).toEqual(["'self'"]); // the base is not mutated
    expect(serializeCsp({ 'default-src': ["'self'"], 'img-src': ["'self'", 'data:'] })).toBe(
      "default-src 'self'; img-src 'self' data:",
    );
  });

  it('sets the page policy, no-store under the API prefix (absolute-form targets too), and the docs variant on the docs page only', () => {
    const options = {
      noStorePrefixes: ['/api/v1/'],
      docsPrefix: '/api/docs',
      extraDirectives: { 'connect-src': ['https://idp.example'] },
    };
    const api = headersFor('/api/v1/claims/X?y=1', options);
    expect(api['cache-control']).toBe('no-store');
    expect(api['content-security-policy']).toContain("connect-src 'self' https://idp.example");
    expect(api['content-security-policy']).toContain("style-src 'self';");
    expect(api['x-content-type-options']).toBe('nosniff');
    expect(api['x-frame-options']).toBe('DENY');
    expect(api['referrer-policy']).toBe('no-referrer');
    expect(api['permissions-policy']).toContain('camera=()');
    expect(headersFor('http://host/api/v1/claims', options)['cache-control']).toBe('no-store');
    expect(headersFor('/', options)['cache-control']).toBeUndefined();
    expect(headersFor('/api/docs', options)['content-security-policy']).toContain(
      "style-src 'self' 'unsafe-inline'",
    );
    expect(headersFor('/api/docs/swagger-ui.css', options)['content-security-policy']).toContain(
      "style-src 'self' 'unsafe-inline'",
    );
    expect(headersFor('/api/docsX', options)['content-security-policy']).toContain(
      "style-src 'self';",
    );
  });
});
