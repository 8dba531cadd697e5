// An app server on neon_auth: POST /sign-in, and GET /notes, which shows the caller's notes only.
import http from "node:http";
import pg from "pg";
import { callAuth, requestSettings } from "@neon-auth/handler";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });   // as app_server (setup.sql)

// One sign_in in one transaction, in HTTP mode: a wrong password is answered (401) and its
// rate-limit count commits, so guessing ends in 429. The socket's address is the per-IP key.
async function signIn(req) {
  let text = "";
  req.setEncoding("utf8");
  for await (const chunk of req) if ((text += chunk).length > 65536) throw new Error("body too large");
  const { email = null, password = null } = JSON.parse(text);   // missing: VALIDATION_ERROR, 400
  const result = await callAuth(pool, "sign_in", { email, password }, {
    request: req, ip: req.socket.remoteAddress,
    // Runs after a successful sign_in, in its transaction. The database signs the cookie: it holds the secret.
    // Over https, name it __Secure-better-auth.session_token and add "; Secure", as Better Auth does.
    after: async (client, body) => {
      const { rows: [{ c }] } = await client.query("SELECT neon_auth.session_cookies($1) AS c", [body.token]);
      if (!c) return [];   // a two-factor challenge: no session yet
      const cookie = `better-auth.session_token=${encodeURIComponent(c.value)}; Max-Age=${c.maxAge}`;
      return [["Set-Cookie", `${cookie}; Path=/; HttpOnly; SameSite=Lax`]];
    },
  });
  if (result.ok) delete result.body.twoFactorCookie;   // a challenge's signed value is for an HttpOnly cookie only
  return result;
}

// Reads as the caller. SET LOCAL and set_config(..., true) last until COMMIT: in one transaction
// they hold for the query, and the pooled connection goes back without them.
async function notes(req) {
  const s = requestSettings(req, req.socket.remoteAddress);
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SET LOCAL ROLE authenticated");   // the role the policy names
    await client.query("SELECT set_config('request.headers', $1, true), set_config('request.cookies', $2, true)",
      [JSON.stringify(s.headers), JSON.stringify(s.cookies)]);
    // No WHERE: the policy keeps the rows of the session in the cookie (or in Authorization: Bearer).
    const { rows } = await client.query("SELECT id, body FROM notes ORDER BY id");
    await client.query("COMMIT");
    return { status: 200, body: rows, headers: [] };
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

const routes = { "POST /sign-in": signIn, "GET /notes": notes };
const server = http.createServer(async (req, res) => {
  const route = routes[`${req.method} ${req.url.split("?")[0]}`];
  if (!route) return res.writeHead(404).end();
  try {
    // Status, body and headers as callAuth gives them: 401, 429 with X-Retry-After, Set-Cookie.
    const { status, body, headers } = await route(req);
    res.writeHead(status, ["Content-Type", "application/json", ...headers.flat()]).end(JSON.stringify(body));
  } catch (err) {
    res.writeHead(err instanceof SyntaxError ? 400 : 500).end();   // bad JSON; never an error's text
  }
});
server.listen(process.env.PORT ?? 3000, () => console.log(`listening on http://localhost:${server.address().port}`));
