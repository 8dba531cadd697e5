// Fixed test keys for the fuzz targets and the seed-corpus generator, made
// once with neon_auth::core::generate_private_jwk. Fixed rather than drawn at
// start-up so that the committed seed tokens verify under them. Test keys
// only: they sign nothing outside test/fuzz.
#pragma once

namespace fuzz_keys {

inline constexpr const char *kEd25519Private =
    R"({"crv":"Ed25519","d":"fn4B_a_QVmgfxlByR5_eWEW1Lc0kW-ehtZV6-tbQxlw","x":"cRB5tfL0zN2XpbZETw7mBsKLeMAbvlVnYi-l4yYVsJE","kty":"OKP"})";

inline constexpr const char *kEs256Private =
    R"({"kty":"EC","x":"k3ZlgYwv-BjM8Uc8Oih7sphUnLHWZtu6qr8OQb22-jc","y":"HqDspyMrnNXeZtEOxasC9kpeJqon0e7ELv2EcQzvXjE","crv":"P-256","d":"FmiTAIL0vf1-UhFLDowqYLLNyGTOAv1P64gSEE7psmc"})";

inline constexpr const char *kRs256Private =
    R"({"kty":"RSA","n":"vJtRUwPUDDxX_Q6AcHH8M9Tu4D5HxW3BQO37TZ7QO-_hupls-Vndx3nSLo0msSXYdP8j0OFl6XGneNtMbNbW98I0BHiwuQPyY_ZyNOwLgemf-Fx7PbU3uygkInzi6xu4l0g_xB-cfa3EhQ8MNY6n3YlzHsc48dBmdBbHpUpNQOy-YtP-JKP3_48-LImV_kDssu65MA_4RGX3QMOgnZlgAOQkwxyLFNyVRlpU_XzhoqfomlIO-3IkliidyXk90c58cVu6ZIAvEoNGTwWZeOSLW7g8KgGLzee2oDj2n1YxXMFt8TtR31jG0R51mF12cKFPhBi_aY6Nqq_Gr5zhXyyotQ","e":"AQAB","d":"HnErVSzfAwKSaSP4Ey4yuOL7k3I5_2HRuXsv_r1Nev8i_g1Zi3230ESXajAaOKmVIH01-LcIzf8sOtOaqE6c7-yGnNomHBbI_t1-XZBj4xokWeADfFhNoIXAH1js_2nAB5r_v9YiWh68A4YEQHjAG3_d9u_M_yrV_pLWspUllv7YGfNpNA9MKgMW5StorJivQ4DqdzNlZCZEKk6ISbzCPzIbUwlzKnJwrPufxfp0diDZuE7wIKMq92VM-S4lVI4XqByBiPY7qhJvOxR2L8bTHt5d5y98XYXJknzZgmRwGx6RhNwWDHjFZ5dOyrbZeQq2uxydet5h4LQIwnw4qygsAQ","p":"8KJ-ZPzcKLA-gTWY4ESzz-JcI86iWGJcPCFLpGnpB0s41lC5r0nzsDBWEHygOnzfMPn5Mqf5cBr2Qk28fjg6Gnwf9YtlYc7PTSBMMoWOO-nIspflwiaOMVDUo1eBKi5XCt5y1Tdskxe3mxxz7GabkUaTcNpM_xrd44seeCqFj4E","q":"yKZapw9G3ExhgwVO8_hYNlF2tFryFmIFqFQ12mkZhnNyOjxA7HINdbnmVi4KPL7AinzBZi-ruwzhnQIsA1ijPK7mo0UMK02Gu-q588ur0MiWmoW7elikzuxmHcQVDWM0ykfwQG4P4Kgzom7_XTihHsJBexoslKJcL46qL-mPczU","dp":"wINPmV2OiOLPbrHBd5KfRG41BtSWnx0560U77fJpYtN0SklU9H62fbt97zy1N3WVXepuym8GKQD5CPyGE3jKS0wIiXoXBtPclziCnVyp-RbE4NSTFOuhkKS5KWClTmi6bFChECGCNH-h_W8a8wL37JbI-F09gk4tPJCdNMfYCIE","dq":"W4Y2N5nqUrasjB0xxGt1oWFLaj1JzBfuSLgQ0I28TO4AHrw5SSFFLnwbqxfZJ5hDL2h0t23rQalAiGPjO6uE2jtVjQgD4wS7_p-1LpWqy9OTjuyNdeNVWeXPNqioibDE9bgWyOzrZSiUVPWYmicop2UohUSNLUdaEX9b9frtqjk","qi":"LSaVZRu5akdKW8V_26gfw8q1ShMGdz-ccbyoRf2ve6FUn7HoKchpvJmKKcI_H9fvg-ww-itL8DdjUhYeoo7MAP8vQ7WdLlayGD-1yx4mfkW8pzgQ5hLfG0_2BGyPTumvU8Z3US3QJx-LLeIsEABGFPI0ujAIgVp5QS5O27pXgWI"})";

inline constexpr const char *kEdKid = "ed";
inline constexpr const char *kEsKid = "es";
inline constexpr const char *kRsKid = "rs";

// "now" for every check, so that seed tokens with exp 2000000000 stay valid.
inline constexpr long long kNow = 1700000000;

// Secret of the HMAC formats (cookies, email tokens) and of symmetric encryption.
inline constexpr const char *kSecret = "better-auth-secret-123456789012345678901234567890";

} // namespace fuzz_keys
