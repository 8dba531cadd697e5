-- wrk: GET /api/auth/get-session with the session cookie of a random one of
-- the users in $COOKIES (one URI-encoded signed value per line), as many
-- signed-in browsers would send it.
local cookies = {}
for line in io.lines(os.getenv("COOKIES")) do cookies[#cookies + 1] = line end
math.randomseed(os.time())
request = function()
	local c = cookies[math.random(#cookies)]
	return wrk.format("GET", "/api/auth/get-session", { ["Cookie"] = "better-auth.session_token=" .. c })
end
