/**
 * The embedded provider's pages (zh-CN first, English below): sign-in, sign-out confirmation, signed
 * out, error. No inline script or style, so a strict Content-Security-Policy (`default-src 'self'`)
 * holds; the forms post to this same origin only.
 */
import { DEV_OIDC_PATH } from './settings';
import { DEV_PASSWORD, DEV_USERS } from './dev-users';

export const LOGIN_CSS_PATH = `${DEV_OIDC_PATH}/assets/login.css`;

export const LOGIN_CSS = `body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;background:#f4f6f9;color:#1f2933;margin:0}
main{max-width:420px;margin:48px auto;background:#fff;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.15);padding:24px 28px}
h1{font-size:1.3rem;margin:0 0 4px}p.sub{color:#52606d;margin:0 0 20px;font-size:.9rem}
label{display:block;margin:12px 0 4px;font-weight:600}input{width:100%;box-sizing:border-box;padding:8px;font-size:1rem;border:1px solid #9aa5b1;border-radius:4px}
button{margin-top:18px;width:100%;padding:10px;font-size:1rem;border:0;border-radius:4px;background:#1d4ed8;color:#fff;cursor:pointer}
button.secondary{background:#e4e7eb;color:#1f2933}.error{color:#b91c1c;font-weight:600}
table{width:100%;border-collapse:collapse;font-size:.85rem;margin-top:8px}td,th{border-bottom:1px solid #e4e7eb;padding:4px;text-align:left}
details{margin-top:20px;color:#52606d}code{font-size:.85rem}
`;

const ROLE_NAMES: Record<string, string> = {
  applicant: '申报企业',
  reviewer: '审核员',
  finance: '财务',
  auditor: '审计',
  admin: '管理员',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><title>${escapeHtml(title)}</title><link rel="stylesheet" href="${LOGIN_CSS_PATH}"></head>
<body><main>${body}</main></body></html>`;
}

export function loginPage(input: {
  readonly action: string;
  readonly login?: string;
  readonly failed: boolean;
}): string {
  const users = DEV_USERS.map(
    (user) =>
      `<tr><td><code>${escapeHtml(user.sub)}</code></td><td>${escapeHtml(user.name)}</td><td>${user.roles.map((role) => ROLE_NAMES[role] ?? role).join('、')}${user.applicant ? ` <code>${user.applicant}</code>` : ''}</td></tr>`,
  ).join('');
  return page(
    '登录 · 跨境电商扶持资金台账',
    `<h1>登录</h1><p class="sub">跨境电商扶持资金台账（开发用身份提供方）· Sign in (development identity provider)</p>
${input.failed ? '<p class="error" role="alert" data-testid="login-error">用户名或密码不正确 · Wrong user name or password</p>' : ''}
<form method="post" action="${escapeHtml(input.action)}" autocomplete="off">
<label for="login">用户名 · User name</label><input id="login" name="login" required autofocus value="${escapeHtml(input.login ?? '')}">
<label for="password">密码 · Password</label><input id="password" name="password" type="password" required>
<button type="submit" data-testid="login-submit">登录 · Sign in</button>
</form>
<details><summary>开发用户 · Development users</summary><p>密码均为 <code>${DEV_PASSWORD}</code></p>
<table><thead><tr><th>用户名</th><th>姓名</th><th>角色</th></tr></thead><tbody>${users}</tbody></table></details>`,
  );
}

/** `form` is the provider's hidden form (its action and xsrf field); the buttons submit it. */
export function logoutPage(form: string): string {
  return page(
    '退出登录',
    `<h1>退出登录？</h1><p class="sub">Sign out of the ledger?</p>${form}
<button type="submit" form="op.logoutForm" value="yes" name="logout" data-testid="logout-confirm">退出 · Sign out</button>
<button type="submit" form="op.logoutForm" class="secondary">保持登录 · Stay signed in</button>`,
  );
}

export function signedOutPage(): string {
  return page(
    '已退出',
    `<h1>已退出登录</h1><p class="sub">You are signed out.</p><p><a href="/">返回台账 · Back to the ledger</a></p>`,
  );
}

export function errorPage(out: Record<string, unknown>): string {
  const error = typeof out['error'] === 'string' ? out['error'] : 'server_error';
  const description = typeof out['error_description'] === 'string' ? out['error_description'] : '';
  return page(
    '登录出错',
    `<h1>登录出错</h1><p class="sub">Sign-in failed</p><p class="error" data-testid="oidc-error">${escapeHtml(error)}</p><p>${escapeHtml(description)}</p><p><a href="/">返回台账 · Back to the ledger</a></p>`,
  );
}
