// A local SMTP server for the worker's end-to-end test: accepts every
// message and appends {to, message} as one JSON line to the given file.
// Usage: node smtp-sink.mjs PORT FILE
import { appendFileSync } from "node:fs";
import { SMTPServer } from "smtp-server";

const [port, file] = process.argv.slice(2);
const server = new SMTPServer({
	authOptional: true,
	disabledCommands: ["STARTTLS", "AUTH"],
	logger: false,
	onData(stream, session, callback) {
		let message = "";
		stream.setEncoding("utf8");
		stream.on("data", (chunk) => (message += chunk));
		stream.on("end", () => {
			appendFileSync(file, JSON.stringify({ to: session.envelope.rcptTo.map((a) => a.address), message }) + "\n");
			callback();
		});
	},
});
server.listen(Number(port), "127.0.0.1", () => console.error(`smtp sink on ${port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
