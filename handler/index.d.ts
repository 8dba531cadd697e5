// Types of @neon-auth/handler (src/index.js, src/node.js).
import type { Pool } from "pg";
import type { IncomingMessage, ServerResponse } from "node:http";

export interface NeonAuthOptions {
	/** A pg.Pool for the database with the neon_auth extension. */
	pool: Pool;
	/** Where the routes are mounted. Default "/api/auth". */
	basePath?: string;
	/** The app's URL; https makes the cookies __Secure- and Secure. Default: the request's URL. */
	baseURL?: string;
	/** Better Auth's advanced.cookiePrefix. Default "better-auth". */
	cookiePrefix?: string;
	/** Larger request bodies are refused with 413. Default 1 MiB. */
	maxBodyBytes?: number;
	/** Keep x-forwarded-for / x-forwarded-proto from the proxy in front; without it a client's own are dropped. Default false. */
	trustProxy?: boolean;
}

/** Better Auth's session and user objects, as neon_auth answers them. */
export interface Session {
	id: string;
	token: string;
	userId: string;
	expiresAt: string;
	createdAt: string;
	updatedAt: string;
	ipAddress: string | null;
	userAgent: string | null;
	impersonatedBy: string | null;
	activeOrganizationId: string | null;
	activeTeamId: string | null;
}

export interface User {
	id: string;
	name: string;
	email: string;
	emailVerified: boolean;
	image: string | null;
	createdAt: string;
	updatedAt: string;
	role: string | null;
	banned: boolean | null;
	banReason: string | null;
	banExpires: string | null;
	twoFactorEnabled: boolean | null;
	username: string | null;
	displayUsername: string | null;
	isAnonymous: boolean | null;
	phoneNumber: string | null;
	phoneNumberVerified: boolean | null;
}

export interface NeonAuth {
	(request: Request, context?: { ip?: string }): Promise<Response>;
	handler(request: Request, context?: { ip?: string }): Promise<Response>;
	/** The same handler on plain objects (what the Node adapter uses). */
	serve(request: PlainRequest): Promise<PlainResponse>;
	api: {
		/** As Better Auth's auth.api.getSession: the session of the headers' cookie or bearer token, or null. */
		getSession(options: { headers: Headers | Record<string, string> }): Promise<{ session: Session; user: User } | null>;
	};
	options: { basePath: string; baseURL?: string; cookiePrefix: string; trustProxy: boolean };
}

export function neonAuth(options: NeonAuthOptions): NeonAuth;
export default neonAuth;

/** What the database sees of a request: PostgREST's request settings. */
export interface RequestSettings {
	method: string;
	path: string;
	headers: Record<string, string>;
	cookies: Record<string, string>;
}

export type RequestLike =
	| Request
	| { method?: string; path?: string; url?: string; headers?: Headers | Record<string, string | string[] | undefined>; cookies?: Record<string, string>; ip?: string };

export function requestSettings(request?: RequestLike, ip?: string): RequestSettings;

export interface AuthResult<T = unknown> {
	/** false for an answered or raised failure; body is then Better Auth's {code, message} (or nothing for a 500). */
	ok: boolean;
	status: number;
	body: T;
	/** Headers the function set, e.g. ["X-Retry-After", "7"] with a 429. */
	headers: Array<[string, string]>;
}

/**
 * Calls neon_auth.<fn>(args) in one transaction that first sets PostgREST's request settings from `request`.
 * `args` are the function's SQL argument names. Never rejects for a failure the database reports.
 */
export function callAuth<T = unknown>(
	pool: Pool,
	fn: string,
	args?: Record<string, unknown>,
	options?: { request?: RequestLike; ip?: string; after?: (client: import("pg").PoolClient, body: T) => Promise<Array<[string, string]> | void> },
): Promise<AuthResult<T>>;

/** neon_auth's error catalogue: code -> [HTTP status, Better Auth's message]. */
export const ERROR_CODES: Record<string, [number, string]>;

export interface Route {
	method: "GET" | "POST";
	path: string;
	fn: string | null;
	fields: Record<string, string>;
}
export const ROUTES: Route[];
export const routes: Route[];

/** The handler's plain request and response, used by the Node adapter. */
export interface PlainRequest {
	method: string;
	url: string;
	headers: Record<string, string>;
	ip?: string;
	readBody(maxBytes: number): Promise<string | null>;
}
export interface PlainResponse {
	status: number;
	headers: Array<[string, string]>;
	body: string | undefined;
}

/** @neon-auth/handler/node */
export function toNodeHandler(auth: NeonAuth, options?: { trustProxy?: boolean }): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
export function fromNodeRequest(req: IncomingMessage, options?: { trustProxy?: boolean }): PlainRequest;
export function sendResponse(res: ServerResponse, response: PlainResponse): void;
