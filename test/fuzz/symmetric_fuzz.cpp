// symmetric_decrypt / symmetric_decrypt_versioned on outside data (stored
// JWKS private keys, two-factor secrets): the input is decrypted as bare hex
// and as "$ba$<v>$<hex>" under fixed secrets; then encrypted (bare and
// versioned) and decrypted back.
#include "fuzz_common.hpp"
#include "fuzz_keys.hpp"
#include "random.hpp"
#include "symmetric.hpp"

#include <sodium.h>

namespace core = neon_auth::core;

namespace {

void check_ciphertext(std::string_view in, const std::string &secret,
                      const std::vector<std::pair<int, std::string>> &secrets)
{
	const auto plain = core::symmetric_decrypt(secret, in);
	if (plain) {
		// Authenticated: the same bytes must come back re-encrypted with the
		// nonce the input carried.
		const auto raw = core::hex_decode(in).value();
		const core::Bytes nonce(raw.begin(), raw.begin() + core::kNonceBytes);
		FUZZ_CHECK(core::hex_decode(core::symmetric_encrypt_with_nonce(secret, *plain, nonce)) == raw);
		FUZZ_CHECK(!core::symmetric_decrypt("another secret", in));
	}
	const auto versioned = core::symmetric_decrypt_versioned(secrets, secret, in);
	if (in.substr(0, 4) != "$ba$")
		FUZZ_CHECK(versioned == plain);
	else if (versioned) {
		const auto rest = in.substr(4);
		const auto dollar = rest.find('$');
		FUZZ_CHECK(dollar != std::string_view::npos);
		FUZZ_CHECK(core::symmetric_decrypt_versioned(secrets, "", in) == versioned);
	}
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	static const bool init = core::crypto_init();
	FUZZ_CHECK(init);
	const std::string_view in = fuzz::as_view(data, size);
	const std::string secret = fuzz_keys::kSecret;
	const std::vector<std::pair<int, std::string>> secrets{{1, "old secret"}, {2, secret}};

	// The input as ciphertext.
	const std::string_view after_version =
	    in.substr(0, 4) == "$ba$" && in.find('$', 4) != std::string_view::npos ? in.substr(in.find('$', 4) + 1) : in;
	check_ciphertext(in, secret, secrets);

	// The input as plaintext.
	core::Bytes nonce(core::kNonceBytes);
	crypto_generichash(nonce.data(), nonce.size(), data, size, nullptr, 0);
	const std::string sealed = core::symmetric_encrypt_with_nonce(secret, in, nonce);
	FUZZ_CHECK(sealed.size() == 2 * (core::kNonceBytes + size + 16));
	FUZZ_CHECK(core::symmetric_decrypt(secret, sealed) == std::string(in));
	FUZZ_CHECK(!core::symmetric_decrypt("another secret", sealed));
	const std::string sealed_v2 = core::symmetric_encrypt_versioned(secret, 2, in, nonce);
	FUZZ_CHECK(sealed_v2 == "$ba$2$" + sealed);
	FUZZ_CHECK(core::symmetric_decrypt_versioned(secrets, "", sealed_v2) == std::string(in));
	FUZZ_CHECK(!core::symmetric_decrypt_versioned(secrets, secret, "$ba$1$" + sealed));
	FUZZ_CHECK(!core::symmetric_decrypt_versioned(secrets, secret, "$ba$3$" + sealed));
	FUZZ_CHECK(core::symmetric_decrypt_versioned(secrets, secret, sealed) == std::string(in));
	return 0;
}
