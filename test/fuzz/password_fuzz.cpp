// The stored password hash "<salt>:<keyHex>" is split before scrypt runs; once
// both parts are non-empty, verify_password runs scrypt with Better Auth's
// N=16384, r=16 (16 MiB, tens of milliseconds), far too slow for a fuzz loop.
// So this target covers:
//   1. verify_password on every stored value that is refused before scrypt
//      (no ':', empty salt, empty key): it must return false. Inputs that
//      would reach scrypt are skipped; the comparison after it is covered by
//      the unit tests, not here.
//   2. The core's scrypt() with tiny parameters derived from the input,
//      against OpenSSL's EVP_PBE_scrypt (what Node, and so Better Auth, runs).
// Input: "<password>\0<stored>" for 1, and the whole input for 2.
#include "fuzz_common.hpp"
#include "password.hpp"
#include "random.hpp"

#include <openssl/evp.h>

namespace core = neon_auth::core;

namespace {

bool refused_before_scrypt(std::string_view stored)
{
	const auto colon = stored.find(':');
	if (colon == std::string_view::npos)
		return true;
	std::string_view key = stored.substr(colon + 1);
	key = key.substr(0, key.find(':'));
	return colon == 0 || key.empty();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	static const bool init = core::crypto_init();
	FUZZ_CHECK(init);
	std::string_view rest = fuzz::as_view(data, size);
	const std::string_view password = fuzz::take(rest, '\0');
	const std::string_view stored = rest;
	if (refused_before_scrypt(stored))
		FUZZ_CHECK(!core::verify_password(password, stored));

	if (size < 4)
		return 0;
	const core::ScryptParams params{2ull << (data[0] % 6), 1u + data[1] % 4, 1u + data[2] % 2,
	                                1u + static_cast<std::size_t>(data[3] % 64)};
	std::string_view input = fuzz::as_view(data + 4, size - 4);
	const std::string_view salt = fuzz::take(input, '\0');
	const std::string_view pw = input;
	const core::Bytes mine = core::scrypt(pw, salt, params);
	core::Bytes theirs(params.dk_len);
	FUZZ_CHECK(EVP_PBE_scrypt(pw.data(), pw.size(), reinterpret_cast<const unsigned char *>(salt.data()), salt.size(),
	                          params.N, params.r, params.p, 0, theirs.data(), theirs.size()) == 1);
	FUZZ_CHECK(mine == theirs);
	return 0;
}
