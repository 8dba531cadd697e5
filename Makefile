# PGXS build of the neon_auth extension: the shared library (src/core + the
# src/pg glue), the install script, pg_regress (sql/ + expected/) and pgTAP
# (test/pgtap). The unit tests of the core are built by CMakeLists.txt.
EXTENSION    = neon_auth
EXTVERSION   = 1.0
MODULE_big   = $(EXTENSION)
OBJS         = $(patsubst %.cpp,%.o,$(sort $(wildcard src/core/*.cpp src/pg/*.cpp)))
DATA         = $(EXTENSION)--$(EXTVERSION).sql

# pg_regress: every sql/*.sql in this order (setup creates the extension).
REGRESS      = setup install password sign_up sign_in session jwt errors lifecycle organization admin
# A UTF-8 database: normalize(..., NFKC) requires it.
REGRESS_OPTS = --encoding=UTF8
# Isolation tests (concurrent sessions): test/isolation/specs + expected.
ISOLATION      = auth_races
ISOLATION_OPTS = --inputdir=test/isolation --encoding=UTF8

PG_CPPFLAGS  = -Isrc/core -Isrc/pg
PG_CXXFLAGS  = $(EXTRA_CXXFLAGS) -std=c++17 -Wall -Wextra -Wno-unused-parameter -Wno-register -Wno-missing-field-initializers \
               -fvisibility=hidden -fvisibility-inlines-hidden
SHLIB_LINK   = -lcrypto -lsodium -lstdc++ -Wl,--version-script=$(srcdir)/src/pg/exports.map
# No JIT bitcode: PGXS would compile .cpp to .bc without PG_CXXFLAGS (no
# -std=c++17), and inlining auth functions into JIT code buys nothing.
override with_llvm = no

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# pgTAP suites against an existing server (PGHOST/PGPORT/PGUSER from the
# environment, e.g. inside pg_virtualenv); test/pgtap/run.sh makes the database.
.PHONY: pgtap
pgtap:
	test/pgtap/run.sh

# PGXS tracks no header dependencies; rebuild every object when any header changes.
$(OBJS): $(wildcard src/core/*.hpp src/pg/*.hpp src/pg/*.h)
$(shlib): src/pg/exports.map
