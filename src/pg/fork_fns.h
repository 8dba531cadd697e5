/* The once-per-connection warning about an unforked copy (fork_fns.cpp). */
#ifndef NEON_AUTH_FORK_FNS_H
#define NEON_AUTH_FORK_FNS_H

void na_warn_if_copy(void);

#endif
