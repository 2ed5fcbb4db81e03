import { useEffect, useState } from 'react';

/** Hash routes: the API serves one index.html, so the path after # is the page. */
export type Route =
  | { readonly name: 'signin' }
  | { readonly name: 'overview' }
  | { readonly name: 'district'; readonly code: string | null }
  | { readonly name: 'applicant'; readonly uscc: string | null }
  | { readonly name: 'queue' }
  | { readonly name: 'claim'; readonly claimId: string }
  | { readonly name: 'finance'; readonly claimId: string | null };

export function parseRoute(hash: string): Route {
  const parts = hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter((part) => part.length > 0)
    .map(decodeURIComponent);
  const [head, argument] = parts;
  switch (head) {
    case 'signin':
      return { name: 'signin' };
    case 'district':
      return { name: 'district', code: argument ?? null };
    case 'applicant':
      return { name: 'applicant', uscc: argument ?? null };
    case 'queue':
      return { name: 'queue' };
    case 'claims':
      return argument ? { name: 'claim', claimId: argument } : { name: 'queue' };
    case 'finance':
      return { name: 'finance', claimId: argument ?? null };
    default:
      return { name: 'overview' };
  }
}

export function hrefFor(route: Route): string {
  switch (route.name) {
    case 'signin':
      return '#/signin';
    case 'overview':
      return '#/overview';
    case 'district':
      return route.code ? `#/district/${encodeURIComponent(route.code)}` : '#/district';
    case 'applicant':
      return route.uscc ? `#/applicant/${encodeURIComponent(route.uscc)}` : '#/applicant';
    case 'queue':
      return '#/queue';
    case 'claim':
      return `#/claims/${encodeURIComponent(route.claimId)}`;
    case 'finance':
      return route.claimId ? `#/finance/${encodeURIComponent(route.claimId)}` : '#/finance';
  }
}

export function navigate(route: Route): void {
  window.location.hash = hrefFor(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
