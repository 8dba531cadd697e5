// A local SMS webhook for development and tests: every POST of {"to",
// "text"} is appended to a JSON-lines file.
//   node test/sms-sink.mjs 2526 /tmp/sms.jsonl
//   NEON_AUTH_SMS=http://127.0.0.1:2526/sms node outbox.mjs
import http from "node:http";
import { appendFileSync } from "node:fs";

const [port = "2526", file = "sms.jsonl"] = process.argv.slice(2);
http.createServer((req, res) => {
	let body = "";
	req.on("data", (chunk) => (body += chunk));
	req.on("end", () => {
		try {
			const { to, text } = JSON.parse(body);
			appendFileSync(file, JSON.stringify({ to, text, authorization: req.headers.authorization ?? null }) + "\n");
			res.writeHead(200).end("{}");
		} catch {
			res.writeHead(400).end();
		}
	});
}).listen(Number(port), "127.0.0.1");
