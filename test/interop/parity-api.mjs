// Better Auth 1.7.25's endpoints for the parity table: auth.api of a server
// with the plugins the table covers (no database: nothing is called).
import { betterAuth } from "better-auth";
import { admin, jwt, multiSession, organization } from "better-auth/plugins";

export async function apiPaths() {
	const auth = betterAuth({
		secret: "parity-table-secret-0123456789abcdefghijklmnop",
		baseURL: "http://localhost:3000",
		logger: { disabled: true },
		plugins: [admin(), jwt(), organization({ teams: { enabled: true }, dynamicAccessControl: { enabled: true } }), multiSession()],
	});
	return Object.fromEntries(Object.entries(auth.api).map(([name, endpoint]) => {
		const method = [].concat(endpoint.options?.method ?? "").join(", ");
		return [name, endpoint.path ? `${method} ${endpoint.path}` : "server-only"];
	}));
}
