# nhiscan: build, test and benchmark.
#
#   make            build build/nhiscan (installs missing Debian packages first when run as root)
#   make run        build, then print the inventory of this clone
#   make test       unit tests, signature check and end-to-end tests
#   make check      make test, then the same tests under AddressSanitizer and UBSan
#
# CI=true or WERROR=1 turns warnings into errors.

NHISCAN_VERSION := 0.1.0

CC ?= cc
BUILD := build
# Our objects go to OUT; the sanitizer run sets OUT=build/san and shares the grammars in BUILD.
OUT ?= $(BUILD)
SANITIZE ?=

PKGS := libgit2 tree-sitter yaml-0.1 libpcre2-8 libhs zlib libdeflate
# Deferred (=): expanded only in recipes, after install-deps has run.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS = $(shell pkg-config --libs $(PKGS))
CMOCKA_LIBS = $(shell pkg-config --libs cmocka)

WARNINGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wvla \
	-Wno-unused-parameter
ifneq ($(filter true 1,$(CI) $(WERROR)),)
WARNINGS += -Werror
endif

CFLAGS ?= -O2 -g
ALL_CFLAGS = -std=c17 -D_GNU_SOURCE -DNHISCAN_VERSION='"$(NHISCAN_VERSION)"' -Isrc -I$(OUT)/gen \
	$(WARNINGS) $(CFLAGS) $(SANITIZE) -include src/util/banned.h $(PKG_CFLAGS)
LDLIBS = $(PKG_LIBS) -lpthread -lm

DEPS_STAMP := $(BUILD)/deps.stamp

all: $(OUT)/nhiscan

include grammars/grammars.mk

SOURCES := $(shell find src -name '*.c' -not -path 'src/tools/*' | sort)
LIB_SOURCES := $(filter-out src/cli/main.c,$(SOURCES))
LIB_OBJS := $(LIB_SOURCES:%.c=$(OUT)/obj/%.o) $(OUT)/obj/gen/embedded_signatures.o \
	$(OUT)/obj/gen/builtin_rules.o $(OUT)/obj/gen/embedded_hooks.o
# The rule table generator links the loader without the table it generates.
GEN_RULES_OBJS := $(patsubst %.c,$(OUT)/obj/%.o,src/config/rules.c src/parse/yamldoc.c \
	src/util/error.c src/util/fs.c src/tools/gen-rules.c)
SIGNATURE_FILES := $(sort $(wildcard signatures/*.yml))
RULE_FILES := $(filter-out %scopes.yml,$(SIGNATURE_FILES))

UNIT_SOURCES := $(sort $(wildcard tests/unit/*/test_*.c))
UNIT_TESTS := $(UNIT_SOURCES:tests/unit/%.c=$(OUT)/tests/%)

$(DEPS_STAMP): src/tools/install-deps.sh
	@sh src/tools/install-deps.sh $@

$(OUT)/obj/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(OUT)/gen/embedded_signatures.c: $(SIGNATURE_FILES) src/tools/embed-files.sh
	@mkdir -p $(@D)
	sh src/tools/embed-files.sh nhi_embedded_signatures $(SIGNATURE_FILES) > $@.tmp
	mv $@.tmp $@

$(OUT)/obj/gen/embedded_signatures.o: $(OUT)/gen/embedded_signatures.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -c $< -o $@

# The hook scripts, for install-hooks (src/cli/cmd_hooks.c).
HOOK_FILES := hooks/pre-commit hooks/pre-push

$(OUT)/gen/embedded_hooks.c: $(HOOK_FILES) src/tools/embed-files.sh
	@mkdir -p $(@D)
	sh src/tools/embed-files.sh nhi_embedded_hooks $(HOOK_FILES) > $@.tmp
	mv $@.tmp $@

$(OUT)/obj/gen/embedded_hooks.o: $(OUT)/gen/embedded_hooks.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -c $< -o $@

$(OUT)/gen-rules: $(GEN_RULES_OBJS)
	$(CC) $(CFLAGS) $(SANITIZE) -o $@ $^ $(LDLIBS)

$(OUT)/gen/builtin_rules.c: $(RULE_FILES) $(OUT)/gen-rules
	@mkdir -p $(@D)
	$(OUT)/gen-rules $(RULE_FILES) > $@.tmp
	mv $@.tmp $@

$(OUT)/obj/gen/builtin_rules.o: $(OUT)/gen/builtin_rules.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(OUT)/libnhiscan.a: $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(OUT)/nhiscan: $(OUT)/obj/src/cli/main.o $(OUT)/libnhiscan.a $(GRAMMAR_LIB)
	$(CC) $(CFLAGS) $(SANITIZE) -o $@ $^ $(LDLIBS)

$(OUT)/tests/%: tests/unit/%.c $(OUT)/libnhiscan.a $(GRAMMAR_LIB) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -o $@ $< $(OUT)/libnhiscan.a $(GRAMMAR_LIB) $(CMOCKA_LIBS) $(LDLIBS)

# The main job on a real repository: this clone.
run: $(OUT)/nhiscan
	$(OUT)/nhiscan inventory --output - .

test: $(OUT)/nhiscan $(UNIT_TESTS)
	sh tests/run.sh $(OUT)

SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
check: test
	$(MAKE) --no-print-directory OUT=$(BUILD)/san SANITIZE="$(SAN_FLAGS)" CFLAGS="-O1 -g" test

bench: $(OUT)/nhiscan
	sh bench/worktree.sh

clean:
	rm -rf $(BUILD)

.PHONY: all run test check bench clean
.DELETE_ON_ERROR:

-include $(LIB_OBJS:.o=.d) $(OUT)/obj/src/cli/main.d

# --- Tree-sitter queries of the code extractor (src/extract/code*.c) ---
# The .scm files of grammars/queries/ are compiled into the binary as the table
# nhi_embedded_queries (declared in src/extract/code_internal.h), so that no data folder is needed.
QUERY_FILES := $(sort $(wildcard grammars/queries/*/*.scm))

$(OUT)/gen/embedded_queries.c: $(QUERY_FILES) src/tools/embed-files.sh
	@mkdir -p $(@D)
	sh src/tools/embed-files.sh nhi_embedded_queries $(QUERY_FILES) > $@.tmp
	mv $@.tmp $@

$(OUT)/obj/gen/embedded_queries.o: $(OUT)/gen/embedded_queries.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -c $< -o $@

$(OUT)/libnhiscan.a: $(OUT)/obj/gen/embedded_queries.o
