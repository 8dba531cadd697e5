// Included by every core .cpp file: the core is plain C++ and must never see a
// PostgreSQL header (their macros rename snprintf, Min, Max, ... and their
// ereport() longjmps over C++ destructors).
#pragma once
#if defined(POSTGRES_H)
#error "src/core must not include PostgreSQL headers"
#endif
