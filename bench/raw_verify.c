/*
 * The physical limit of verify_jwt: libsodium's crypto_sign_verify_detached
 * on a message of a given size (a JWT's signing input), nothing else.
 * Usage: raw_verify MESSAGE_BYTES COUNT  -> prints microseconds per verify.
 * Built and run by bench/hot_path.sh.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int
main(int argc, char **argv)
{
	size_t len = argc > 1 ? (size_t) atol(argv[1]) : 600;
	long count = argc > 2 ? atol(argv[2]) : 10000;
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES], sig[crypto_sign_BYTES];
	unsigned char *msg = malloc(len);
	if (msg == NULL || sodium_init() < 0)
		return 1;
	crypto_sign_keypair(pk, sk);
	randombytes_buf(msg, len);
	crypto_sign_detached(sig, NULL, msg, len, sk);
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	long ok = 0;
	for (long i = 0; i < count; i++) {
		msg[i % len] ^= 0; /* the same message, read again each time */
		ok += crypto_sign_verify_detached(sig, msg, len, pk) == 0;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	if (ok != count)
		return 1;
	printf("%.2f\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / 1e3 / count);
	return 0;
}
