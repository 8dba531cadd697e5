// The page's script: Better Auth's endpoints and /api/notes with fetch and
// JSON. The session cookie is HttpOnly: this script never sees it; the
// browser sends it and the database reads it.
const $ = (id) => document.getElementById(id);

async function api(path, body) {
	const init = body === undefined ? {} : {
		method: "POST",
		headers: { "content-type": "application/json" },
		body: JSON.stringify(body),
	};
	const res = await fetch(path, { credentials: "same-origin", ...init });
	const data = await res.json().catch(() => null);
	if (!res.ok) throw new Error(data?.message ?? `${res.status} ${res.statusText}`);
	return data;
}

// Redraws everything from the server: who the database says we are, and
// the notes it lets us see.
async function refresh() {
	const session = await api("/api/auth/get-session");
	document.body.dataset.signedIn = String(Boolean(session));
	$("whoami").textContent = session ? `Signed in as ${session.user.name} <${session.user.email}>` : "Signed out";
	const { notes } = await api("/api/notes");
	$("notes").replaceChildren(...notes.map((note) => {
		const li = document.createElement("li");
		li.textContent = note.body;
		return li;
	}));
}

// Runs one user action, then redraws. data-updates counts finished redraws,
// so a test can wait for the page to settle after an action.
async function act(action) {
	$("error").textContent = "";
	try {
		await action();
	} catch (err) {
		$("error").textContent = err.message;
	}
	try {
		await refresh();
	} catch (err) {
		$("error").textContent = err.message;
	}
	document.body.dataset.updates = String(Number(document.body.dataset.updates ?? 0) + 1);
}

function onSubmit(id, action) {
	$(id).addEventListener("submit", (event) => {
		event.preventDefault();
		const form = event.target;
		const fields = Object.fromEntries(new FormData(form));
		act(async () => {
			await action(fields);
			form.reset();
		});
	});
}

onSubmit("sign-up", ({ name, email, password }) => api("/api/auth/sign-up/email", { name, email, password }));
onSubmit("sign-in", ({ email, password }) => api("/api/auth/sign-in/email", { email, password }));
onSubmit("add-note", ({ body }) => api("/api/notes", { body }));
$("sign-out").addEventListener("click", () => act(() => api("/api/auth/sign-out", {})));

act(async () => {});
