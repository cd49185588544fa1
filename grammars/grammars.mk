# Makefile fragment that fetches the pinned tree-sitter grammars and compiles them into one archive.
#
# The main Makefile sets BUILD and CC, includes this file, and links $(GRAMMAR_LIB) before
# -ltree-sitter. The grammar list comes from grammars/manifest.txt. grammars/fetch.sh runs only
# when the manifest or the script changed, or when a grammar's sources are missing. Its stamp
# file is the one prerequisite of every grammar object, so `make -j` runs it once and compiles
# only after it finished.
#
# The grammars are third-party generated code, so they get their own flags instead of CFLAGS:
# warnings off and never the project's -Werror, C11 as the grammars' own bindings use, and -fPIC
# so that the archive can also go into a shared object. Sanitizer flags stay out as well: UBSan
# reports misaligned int16_t stores in the serialize() of tree-sitter-yaml 0.7.1's scanner.c,
# which is harmless on x86-64 but would add reports to a sanitizer run of our own code.

# Evaluated first, while this file is still the last entry of MAKEFILE_LIST.
GRAMMAR_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))

# The rules below must not become the default goal when this file is included before the main
# Makefile's first target, so the goal is restored at the end.
GRAMMAR_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

ifndef BUILD
$(error BUILD is not set; set it to the build folder before including grammars/grammars.mk)
endif

GRAMMAR_MANIFEST := $(GRAMMAR_DIR)/manifest.txt
GRAMMAR_FETCH := $(GRAMMAR_DIR)/fetch.sh
GRAMMAR_BUILD_DIR := $(BUILD)/grammars
GRAMMAR_SRC_DIR := $(GRAMMAR_BUILD_DIR)/src
GRAMMAR_OBJ_DIR := $(GRAMMAR_BUILD_DIR)/obj
GRAMMAR_STAMP := $(GRAMMAR_BUILD_DIR)/fetch.stamp
GRAMMAR_LIB := $(BUILD)/grammars/libnhiscan-grammars.a
GRAMMAR_CFLAGS := -O2 -w -std=c11 -fPIC

# The first column of every manifest line that is not blank or a comment.
GRAMMAR_LANGUAGES := $(shell awk '{ sub(/\#.*/, ""); if (NF) print $$1 }' $(GRAMMAR_MANIFEST))
ifeq ($(strip $(GRAMMAR_LANGUAGES)),)
$(error no grammar found in $(GRAMMAR_MANIFEST))
endif

# Object names carry the language because `ar` keys archive members by file name.
GRAMMAR_PARSER_OBJS := $(GRAMMAR_LANGUAGES:%=$(GRAMMAR_OBJ_DIR)/%-parser.o)
GRAMMAR_SCANNER_OBJS := $(GRAMMAR_LANGUAGES:%=$(GRAMMAR_OBJ_DIR)/%-scanner.o)
GRAMMAR_OBJS := $(GRAMMAR_PARSER_OBJS) $(GRAMMAR_SCANNER_OBJS)

# Fetch again when a grammar's parser.c is missing, for example after its folder was deleted.
# The check runs when make reads this file; the phony prerequisite then makes the stamp stale.
GRAMMAR_PARSER_SOURCES := $(GRAMMAR_LANGUAGES:%=$(GRAMMAR_SRC_DIR)/%/parser.c)
ifneq ($(filter-out $(wildcard $(GRAMMAR_PARSER_SOURCES)),$(GRAMMAR_PARSER_SOURCES)),)
.PHONY: grammar-sources-missing
grammar-sources-missing: ;
$(GRAMMAR_STAMP): grammar-sources-missing
endif

$(GRAMMAR_STAMP): $(GRAMMAR_MANIFEST) $(GRAMMAR_FETCH)
	sh $(GRAMMAR_FETCH) $(BUILD)
	touch $@

$(GRAMMAR_PARSER_OBJS): $(GRAMMAR_OBJ_DIR)/%-parser.o: $(GRAMMAR_STAMP)
	@mkdir -p $(@D)
	$(CC) $(GRAMMAR_CFLAGS) -c $(GRAMMAR_SRC_DIR)/$*/parser.c -o $@

# Not every grammar has an external scanner, and which ones do is known only after the fetch.
# A grammar without scanner.c gets an object compiled from an empty file, so the object list
# stays fixed when make reads this file and every compile can run in parallel.
$(GRAMMAR_SCANNER_OBJS): $(GRAMMAR_OBJ_DIR)/%-scanner.o: $(GRAMMAR_STAMP)
	@mkdir -p $(@D)
	source=$(GRAMMAR_SRC_DIR)/$*/scanner.c; [ -f $$source ] || source=/dev/null; \
	$(CC) $(GRAMMAR_CFLAGS) -x c -c $$source -o $@

$(GRAMMAR_LIB): $(GRAMMAR_OBJS)
	rm -f $@
	$(AR) rcs $@ $(GRAMMAR_OBJS)

.DEFAULT_GOAL := $(GRAMMAR_SAVED_DEFAULT_GOAL)
