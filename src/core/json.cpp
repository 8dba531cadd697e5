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
	// Keys seen per open object; objects are small, so a linear search over
	// a vector costs less than a set's allocations.
	std::vector<std::vector<std::string>> seen;
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
			if (!seen.empty()) {
				auto &keys = seen.back();
				const auto &key = parsed.get_ref<const std::string &>();
				if (std::find(keys.begin(), keys.end(), key) != keys.end())
					rejected = true;
				else
					keys.push_back(key);
			}
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
