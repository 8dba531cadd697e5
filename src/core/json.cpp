#include "json.hpp"

#include "cpp_only.hpp"

#include "json_object.hpp"

#include <algorithm>
#include <set>
#include <vector>

namespace neon_auth::core {

namespace detail {

std::optional<ordered_json> parse_object(std::string_view text)
{
	// Keys seen per open object: a linear search while an object is small
	// (they nearly always are, and it allocates least), a set once it is not,
	// so that a header of a thousand members costs no million comparisons.
	struct Keys {
		std::vector<std::string> few;
		std::set<std::string> many;
		bool add(const std::string &key)
		{
			if (many.empty() && few.size() < 16) {
				if (std::find(few.begin(), few.end(), key) != few.end())
					return false;
				few.push_back(key);
				return true;
			}
			if (many.empty())
				many.insert(few.begin(), few.end());
			return many.insert(key).second;
		}
	};
	std::vector<Keys> seen;
	bool rejected = false;
	auto cb = [&](int depth, ordered_json::parse_event_t event, ordered_json &parsed) {
		if (depth > 32)
			rejected = true;
		switch (event) {
		case ordered_json::parse_event_t::object_start:
			seen.emplace_back();
			break;
		case ordered_json::parse_event_t::object_end:
			if (!seen.empty())
				seen.pop_back();
			break;
		case ordered_json::parse_event_t::key:
			if (!seen.empty() && !seen.back().add(parsed.get_ref<const std::string &>()))
				rejected = true;
			break;
		default:
			break;
		}
		return true;
	};
	ordered_json j = ordered_json::parse(text.begin(), text.end(), cb, /*allow_exceptions=*/false);
	if (rejected || j.is_discarded() || !j.is_object())
		return std::nullopt;
	return j;
}

} // namespace detail

std::optional<std::string> json_object_compact(std::string_view json)
{
	auto j = detail::parse_object(json);
	if (!j)
		return std::nullopt;
	return j->dump();
}

std::optional<std::string> json_string_member(std::string_view json, std::string_view name)
{
	auto j = detail::parse_object(json);
	if (!j)
		return std::nullopt;
	auto it = j->find(std::string(name));
	if (it == j->end() || !it->is_string())
		return std::nullopt;
	std::string value = it->get<std::string>();
	if (value.find('\0') != std::string::npos) // "\u0000": not representable as SQL text
		return std::nullopt;
	return value;
}

} // namespace neon_auth::core
