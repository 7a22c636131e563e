// A real OpenID Connect provider for the e-desk's eID login tests.
//
// node's oidc-provider (an OpenID Certified implementation) with:
// - one confidential client whose redirect URI is given on the command line,
//   that must use PKCE (S256) for the authorization-code flow;
// - one test citizen whose claims include the Belgian national register
//   number, under the claim name the broker uses (scope "egovnrn");
// - its own login and consent pages (plain HTML forms, checked passwords);
// - an RSA signing key made at start-up.
//
// It listens on 127.0.0.1 on a free port, prints "LISTENING <issuer>" on
// stdout, and exits when the process that started it dies, or after
// --timeout seconds.
//
//   node provider.mjs --redirect-uri URL [--client-id ID] [--client-secret S]
//                     [--nrn-claim NAME] [--parent PID] [--timeout SECONDS]

import crypto from 'node:crypto';
import http from 'node:http';
import { parseArgs } from 'node:util';
import Provider from 'oidc-provider';

const { values: options } = parseArgs({
  options: {
    'redirect-uri': { type: 'string' },
    'client-id': { type: 'string', default: 'communesplone' },
    'client-secret': { type: 'string', default: 'communesplone-test-secret' },
    'nrn-claim': { type: 'string', default: 'egovNRN' },
    parent: { type: 'string', default: String(process.ppid) },
    timeout: { type: 'string', default: '1800' },
  },
});
if (!options['redirect-uri']) {
  console.error('--redirect-uri is required');
  process.exit(2);
}

// login -> password and claims; the account id is the stable "sub".
const ACCOUNTS = {
  'jean.dupont': {
    password: 'eid-password',
    sub: 'be-eid-0001',
    claims: {
      given_name: 'Jean',
      family_name: 'Dupont',
      name: 'Jean Dupont',
      email: 'jean.dupont@example.org',
      email_verified: true,
      [options['nrn-claim']]: '85073003328',
    },
  },
  'bad.number': {
    password: 'eid-password',
    sub: 'be-eid-0002',
    claims: {
      given_name: 'Bad',
      family_name: 'Number',
      email: 'bad.number@example.org',
      email_verified: true,
      [options['nrn-claim']]: '85073003329',
    },
  },
};
const BY_SUB = Object.fromEntries(Object.values(ACCOUNTS).map((a) => [a.sub, a]));

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title, body) {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function send(res, status, html) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(html);
}

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256', kid: 'test' };

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: options['client-id'],
        client_secret: options['client-secret'],
        redirect_uris: [options['redirect-uri']],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    pkce: { required: () => true },
    claims: {
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name'],
      email: ['email', 'email_verified'],
      egovnrn: [options['nrn-claim']],
    },
    cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
    jwks: { keys: [jwk] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(ctx, sub) {
      const account = BY_SUB[sub];
      if (!account) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...account.claims }) };
    },
  });

  async function interaction(req, res, uid) {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) return send(res, 400, page('Error', '<p>Unknown interaction.</p>'));
    const { prompt, params, session } = details;
    if (prompt.name === 'login') {
      let error = '';
      if (req.method === 'POST') {
        const form = await readForm(req);
        const account = ACCOUNTS[form.get('login')];
        if (account && account.password === form.get('password')) {
          return provider.interactionFinished(
            req, res, { login: { accountId: account.sub } }, { mergeWithLastSubmission: false },
          );
        }
        error = '<p role="alert">Invalid login or password.</p>';
      }
      return send(res, 200, page('Sign in', `${error}
<form method="post" action="/interaction/${escape(uid)}">
  <label>Login <input name="login" autocomplete="username"></label>
  <label>Password <input name="password" type="password" autocomplete="current-password"></label>
  <button type="submit">Sign in</button>
</form>`));
    }
    if (prompt.name === 'consent') {
      if (req.method === 'POST') {
        const { accountId } = session;
        const grant = details.grantId
          ? await provider.Grant.find(details.grantId)
          : new provider.Grant({ accountId, clientId: params.client_id });
        const missing = prompt.details;
        if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
        if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
        for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes || {})) {
          grant.addResourceScope(indicator, scopes.join(' '));
        }
        const grantId = await grant.save();
        const consent = details.grantId ? {} : { grantId };
        return provider.interactionFinished(req, res, { consent }, { mergeWithLastSubmission: true });
      }
      return send(res, 200, page('Authorize', `
<p>${escape(params.client_id)} asks for: ${escape(params.scope)}</p>
<form method="post" action="/interaction/${escape(uid)}">
  <button type="submit">Continue</button>
</form>`));
    }
    return send(res, 400, page('Error', `<p>Unknown prompt ${escape(prompt.name)}.</p>`));
  }

  const callback = provider.callback();
  server.on('request', (req, res) => {
    const match = /^\/interaction\/([^/?]+)/.exec(req.url);
    if (!match) return callback(req, res);
    return interaction(req, res, match[1]).catch((error) => {
      console.error(error);
      send(res, 500, page('Error', `<p>${escape(error.message)}</p>`));
    });
  });
  provider.on('server_error', (ctx, error) => console.error('server_error', error));
  process.stdout.write(`LISTENING ${issuer}\n`);
});

// Exit with the parent, or after the timeout.
const parent = Number(options.parent);
setInterval(() => {
  try {
    process.kill(parent, 0);
  } catch {
    process.exit(0);
  }
}, 1000).unref();
setTimeout(() => process.exit(0), Number(options.timeout) * 1000).unref();
