// The verifier settings the JWT tests use: Better Auth's local defaults
// (issuer and audience http://localhost:3000) and neon_auth's 30 s leeway.
#pragma once

#include "jwt.hpp"

#include <cstdint>

inline neon_auth::core::JwtChecks checks_at(std::int64_t now)
{
	neon_auth::core::JwtChecks c;
	c.now = now;
	c.leeway = 30;
	c.issuer = "http://localhost:3000";
	c.audience = "http://localhost:3000";
	return c;
}
