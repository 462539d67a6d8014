// The sign-in form: POST /v1/auth/login {username, password} -> 204 and a session cookie, then back to the page the
// visitor came from (only a dashboard page, never another site).
const form = document.getElementById('login');
const error = document.getElementById('error');
const button = form.querySelector('button');

function target() {
  const back = new URLSearchParams(location.search).get('return') || '';
  return /^\/dashboard\/[A-Za-z0-9._-]*(\?[^\s]*)?$/.test(back) && !back.startsWith('/dashboard/login') ? back : '/dashboard/';
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  error.textContent = '';
  button.disabled = true;
  try {
    const r = await fetch('/v1/auth/login', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ username: form.username.value, password: form.password.value })
    });
    if (r.ok) {
      location.assign(target());
      return;
    }
    error.textContent = r.status === 429
      ? 'Too many attempts. Wait a few minutes, then try again.'
      : r.status === 404 ? 'Sign-in is not available on this server.' : 'Wrong username or password.';
  } catch {
    error.textContent = 'The server could not be reached.';
  } finally {
    button.disabled = false;
  }
  form.password.select();
  form.password.focus();
});
