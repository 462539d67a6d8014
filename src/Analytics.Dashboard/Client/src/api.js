// Talks to the stats API on this origin with the session cookie. A 401 means the session is missing or expired:
// back to the login page, which returns here afterwards.

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail || `The server answered ${status}.`);
    this.status = status;
  }
}

export function toLogin() {
  const back = location.pathname + location.search;
  location.assign('login.html?return=' + encodeURIComponent(back));
}

export async function get(path, params) {
  const url = params ? path + '?' + new URLSearchParams(params) : path;
  const r = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (r.status === 401) {
    toLogin();
    throw new ApiError(401, 'Signed out.');
  }
  if (!r.ok) {
    let detail = '';
    try {
      detail = (await r.json()).detail || '';
    } catch {
      // not a problem document
    }
    throw new ApiError(r.status, r.status === 403 ? 'Your role may not see this.' : detail);
  }
  return r.json();
}

// The signed-in user, or null when the host runs without authentication (404) or nobody is signed in.
export async function me() {
  try {
    const r = await fetch('/v1/auth/me', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (r.status === 401) {
      toLogin();
      return null;
    }
    return r.ok ? r.json() : null;
  } catch {
    return null;
  }
}

export async function logout() {
  await fetch('/v1/auth/logout', { method: 'POST', credentials: 'same-origin' }).catch(() => {});
  location.assign('login.html');
}
