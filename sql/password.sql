\set SHOW_CONTEXT never
-- Better Auth's password, cookie and encryption formats, through SQL
-- (better-auth-formats.md sections 2, 3.3 and 4.2).

-- Password vectors: hashes written by Better Auth verify here.
SELECT v.n, neon_auth._password_verify(normalize(v.pw, NFKC), v.stored) AS verifies
  FROM (VALUES
	(1, 'password', '000102030405060708090a0b0c0d0e0f:3e0919938b5e2b36382eb5a81c23ab15482d02c6a9e295451ff69530660a61b2ca15c113ee385e40a1a76b9345e7d3d519fe53b60d2786758802d888ceb009d1'),
	(2, 'correct horse battery staple', 'ffeeddccbbaa99887766554433221100:ab94ebd7e5485d94fb556b9d10d8c9e1fc3a18a964ad6eb596425ad83975ebd79b0743de8d9e53e4590f01b95de8016c29939866dc131816942ee978aaef4fbe'),
	(3, U&'Cafe\0301 \FF30\FF41\FF53\FF53 \2460', '0123456789abcdeffedcba9876543210:3b79294425d273b977b9e5138424f45750e5041e0e7d4fd336640f5188784d92d692ab527c798b090e8dd630572b14aff14d15a7ba493cb74bb5d8215154bb40')
  ) AS v(n, pw, stored) ORDER BY 1;

-- Vector 3 is the NFKC form "Café Pass 1"; the raw, unnormalized bytes do not verify.
SELECT encode(convert_to(normalize(U&'Cafe\0301 \FF30\FF41\FF53\FF53 \2460', NFKC), 'UTF8'), 'hex') AS nfkc_utf8;
SELECT neon_auth._password_verify(U&'Cafe\0301 \FF30\FF41\FF53\FF53 \2460',
	'0123456789abcdeffedcba9876543210:3b79294425d273b977b9e5138424f45750e5041e0e7d4fd336640f5188784d92d692ab527c798b090e8dd630572b14aff14d15a7ba493cb74bb5d8215154bb40') AS raw_verifies;

-- Wrong passwords and malformed stored values never verify.
SELECT neon_auth._password_verify('passwore', '000102030405060708090a0b0c0d0e0f:3e0919938b5e2b36382eb5a81c23ab15482d02c6a9e295451ff69530660a61b2ca15c113ee385e40a1a76b9345e7d3d519fe53b60d2786758802d888ceb009d1') AS wrong,
       neon_auth._password_verify('password', 'garbage') AS no_colon,
       neon_auth._password_verify('password', '') AS empty;

-- A fresh hash has Better Auth's shape and a fresh salt.
SELECT h ~ '^[0-9a-f]{32}:[0-9a-f]{128}$' AS shape, length(h) AS len, neon_auth._password_verify('hunter2hunter2', h) AS verifies
  FROM (SELECT neon_auth._password_hash('hunter2hunter2') AS h) s;
SELECT neon_auth._password_hash('same') <> neon_auth._password_hash('same') AS salts_differ;

-- Password length counts like JavaScript's String.length (UTF-16 units).
SELECT neon_auth._utf16_length('password') AS ascii, neon_auth._utf16_length(U&'\00E9') AS e_acute,
       neon_auth._utf16_length(U&'\+01F600') AS emoji, neon_auth._utf16_length('') AS empty;

-- Signed cookie vector.
SELECT neon_auth._cookie_sign('AbCdEfGhIjKlMnOpQrStUvWxYz012345', 'better-auth-test-secret-0123456789abcdef') AS signed;
SELECT neon_auth._cookie_sign('true', 'better-auth-test-secret-0123456789abcdef') AS dont_remember;
SELECT neon_auth._cookie_verify('AbCdEfGhIjKlMnOpQrStUvWxYz012345.2qo11Hs+BTEe8oieaZgQJcnW9VuTZhDWPJ0CduagwLk=',
                                'better-auth-test-secret-0123456789abcdef') AS plain,
       neon_auth._cookie_verify('AbCdEfGhIjKlMnOpQrStUvWxYz012345.2qo11Hs%2BBTEe8oieaZgQJcnW9VuTZhDWPJ0CduagwLk%3D',
                                'better-auth-test-secret-0123456789abcdef') AS uri_encoded,
       neon_auth._cookie_verify('AbCdEfGhIjKlMnOpQrStUvWxYz012345.2qo11Hs+BTEe8oieaZgQJcnW9VuTZhDWPJ0CduagwLk=',
                                'some-other-secret-0123456789abcdefghij') IS NULL AS other_secret_rejected,
       neon_auth._cookie_verify('AbCdEfGhIjKlMnOpQrStUvWxYz012346.2qo11Hs+BTEe8oieaZgQJcnW9VuTZhDWPJ0CduagwLk=',
                                'better-auth-test-secret-0123456789abcdef') IS NULL AS other_token_rejected;

-- Symmetric encryption: Better Auth's ciphertext decrypts; ours round-trips.
SELECT neon_auth._symmetric_decrypt('better-auth-test-secret-0123456789abcdef',
	'0102030405060708090a0b0c0d0e0f10111213141516171850c820998edcec2a5ff242380c772c33c238db1beec37ef98f9e58c5a358dc63f8539e6ca4de280399c2d4c6643a97d29c1b575ccdd340bf6ff3770c142769daee1e03') AS better_auth_vector;
SELECT neon_auth._symmetric_decrypt('s3cret', neon_auth._symmetric_encrypt('s3cret', 'round trip')) AS round_trip,
       neon_auth._symmetric_decrypt('other', neon_auth._symmetric_encrypt('s3cret', 'round trip')) IS NULL AS wrong_key_null;

-- Identifiers.
SELECT neon_auth._generate_id(32) ~ '^[A-Za-z0-9]{32}$' AS session_token_shape,
       neon_auth._generate_id(24) ~ '^[A-Za-z0-9]{24}$' AS reset_token_shape;
SELECT neon_auth._generate_id(0);
SELECT neon_auth._generate_id(256);
