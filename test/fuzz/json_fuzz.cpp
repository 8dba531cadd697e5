// The strict JSON object reader every client-supplied document goes through
// (request.headers/cookies, JWT headers and claims, JWKs): json_string_member
// and the core-internal detail::parse_object behind it. Checked against an
// independent SAX pass that applies the documented rules (an object at the
// top, no repeated member name at any depth, at most 32 levels), and for a
// round trip through dump().
#include "fuzz_common.hpp"
#include "json.hpp"
#include "json_object.hpp"

#include <set>
#include <vector>

namespace core = neon_auth::core;
using ordered_json = core::detail::ordered_json;

namespace {

// Mirrors the documented acceptance rule. Depth counts enclosing containers,
// as nlohmann's parse callback does: a container may start inside at most 32
// others, a member name or scalar may sit inside at most 32.
struct StrictSax : nlohmann::json_sax<ordered_json> {
	std::vector<std::set<std::string>> stack; // one set per open container (unused for arrays)
	std::vector<bool> is_object;
	bool duplicate = false, too_deep = false, top_is_object = false, started = false;

	void container(bool object)
	{
		if (!started)
			top_is_object = object;
		started = true;
		if (stack.size() > 32)
			too_deep = true;
		stack.emplace_back();
		is_object.push_back(object);
	}
	bool scalar()
	{
		started = true;
		if (stack.size() > 32)
			too_deep = true;
		return true;
	}
	bool null() override { return scalar(); }
	bool boolean(bool) override { return scalar(); }
	bool number_integer(number_integer_t) override { return scalar(); }
	bool number_unsigned(number_unsigned_t) override { return scalar(); }
	bool number_float(number_float_t, const string_t &) override { return scalar(); }
	bool string(string_t &) override { return scalar(); }
	bool binary(binary_t &) override { return scalar(); }
	bool start_object(std::size_t) override
	{
		container(true);
		return true;
	}
	bool key(string_t &k) override
	{
		if (stack.size() > 32)
			too_deep = true;
		if (!stack.back().insert(k).second)
			duplicate = true;
		return true;
	}
	bool end_object() override
	{
		stack.pop_back();
		is_object.pop_back();
		return true;
	}
	bool start_array(std::size_t) override
	{
		container(false);
		return true;
	}
	bool end_array() override { return end_object(); }
	bool parse_error(std::size_t, const std::string &, const nlohmann::detail::exception &) override { return false; }
};

std::size_t depth(const ordered_json &j)
{
	std::size_t d = 0;
	if (j.is_structured())
		for (const auto &v : j)
			d = std::max(d, depth(v));
	return j.is_structured() ? d + 1 : 0;
}

void check_member(std::string_view text, const std::optional<ordered_json> &parsed, const std::string &name)
{
	const auto got = core::json_string_member(text, name);
	std::optional<std::string> want;
	if (parsed) {
		auto it = parsed->find(name);
		if (it != parsed->end() && it->is_string() && it->get<std::string>().find('\0') == std::string::npos)
			want = it->get<std::string>();
	}
	FUZZ_CHECK(got == want);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	const std::string_view text = fuzz::as_view(data, size);
	const auto parsed = core::detail::parse_object(text);

	StrictSax sax;
	const bool syntax_ok = ordered_json::sax_parse(text.begin(), text.end(), &sax);
	const bool want = syntax_ok && sax.top_is_object && !sax.duplicate && !sax.too_deep;
	FUZZ_CHECK(parsed.has_value() == want);

	if (parsed) {
		FUZZ_CHECK(parsed->is_object());
		FUZZ_CHECK(depth(*parsed) <= 33);
		// What the core writes back out (claims_json, jwt_sign's payload) must
		// read back the same.
		const std::string dumped = parsed->dump();
		const auto again = core::detail::parse_object(dumped);
		FUZZ_CHECK(again.has_value());
		FUZZ_CHECK(again->dump() == dumped);
	}
	// json_object_compact (organization metadata as JSON.stringify writes it):
	// exactly the objects parse_object reads, written as dump() writes them.
	const auto compact = core::json_object_compact(text);
	FUZZ_CHECK(compact.has_value() == parsed.has_value());
	if (compact)
		FUZZ_CHECK(*compact == parsed->dump());

	check_member(text, parsed, "authorization");
	check_member(text, parsed, "better-auth.session_token");
	if (parsed && !parsed->empty())
		check_member(text, parsed, parsed->begin().key());
	return 0;
}
