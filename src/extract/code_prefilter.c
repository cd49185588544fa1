/*
 * The prefilter of the tree-sitter extractor; see code_prefilter.h.
 *
 * A file passes when it names an agent framework, MCP or a model SDK, reads the environment, or
 * assigns a quoted literal of 8 or more characters (or an unquoted shell word) to a name that
 * contains a credential word. The last test replaced a plain list of credential words: on the
 * Go files of croc, words such as "token" or "auth" alone passed 90 of 167 files, the
 * assignment pattern 46 (see docs/BENCHMARKS.md). Most expressions are case-insensitive and
 * report once, and the scan stops at the first report that counts. The expressions use unbounded
 * repeats such as [a-z0-9_]* rather than bounded ones, because Hyperscan compiled the bounded
 * forms three to ten times slower (50 ms instead of 5 ms for the shell expansion, on the machine
 * of docs/BENCHMARKS.md). The classes cannot cross a line, so the match stays on one line.
 *
 * Compiling the database costs about 40 ms of CPU, as much as a signature scan of a small
 * repository (bench/code.sh, on the machine of docs/BENCHMARKS.md). So the serialized database is
 * kept in the rule cache folder, under a key made of the Hyperscan version and the expressions.
 */
#include "extract/code_prefilter.h"
#include "match/cache.h"
#include "util/error.h"
#include "util/hash.h"

#include <hs/hs.h>
#include <limits.h>
#include <string.h>
#include <strings.h>

/* Bumped when the meaning of an expression's flags or id changes, so that old cache files miss. */
#define PREFILTER_CACHE_VERSION "nhiscan code prefilter 1"

#define ANY_CASE_ONCE (HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH)

struct expression {
	const char *pattern;    /* Hyperscan (PCRE) syntax, so literals have their metacharacters escaped */
	unsigned flags;
};

/* "agent" must stay first: its matches are checked in on_match(). */
enum { EXPRESSION_AGENT = 0 };

static const struct expression expressions[] = {
	/* Reported at every match, because "User-Agent", "userAgent" and "user_agent" in HTTP code
	 * are not agents and on_match() skips them. */
	{ "agent", HS_FLAG_CASELESS },
	/* Case-sensitive, so that "NumCPU" does not pass as "mCP", while FastMCP, McpServer and mcp_server do. */
	{ "MCP|Mcp|mcp", HS_FLAG_SINGLEMATCH },
	/* Agent frameworks and model SDKs. */
	{ "openai", ANY_CASE_ONCE }, { "anthropic", ANY_CASE_ONCE }, { "genai", ANY_CASE_ONCE },
	{ "gemini", ANY_CASE_ONCE }, { "langchain", ANY_CASE_ONCE }, { "langgraph", ANY_CASE_ONCE },
	{ "crewai", ANY_CASE_ONCE }, { "autogen", ANY_CASE_ONCE }, { "llama_?index", ANY_CASE_ONCE },
	{ "semantic_?kernel", ANY_CASE_ONCE }, { "pydantic_ai", ANY_CASE_ONCE }, { "mistral", ANY_CASE_ONCE },
	{ "cohere", ANY_CASE_ONCE }, { "groq", ANY_CASE_ONCE }, { "ollama", ANY_CASE_ONCE },
	{ "generatetext", ANY_CASE_ONCE }, { "streamtext", ANY_CASE_ONCE }, { "ai-sdk", ANY_CASE_ONCE },
	{ "claude", ANY_CASE_ONCE }, { "codex", ANY_CASE_ONCE },
	/* Environment lookups of the languages that src/extract/code.c parses. "environ" must end a
	 * word (os.environ, environ.get), so that "environment" in prose and names does not pass. */
	{ "getenv", ANY_CASE_ONCE }, { "environ\\b", ANY_CASE_ONCE }, { "process\\.env", ANY_CASE_ONCE },
	{ "\\benv\\[", ANY_CASE_ONCE }, { "\\benv\\.(fetch|get)", ANY_CASE_ONCE }, { "meta\\.env", ANY_CASE_ONCE },
	/* Shell expansions of a credential-like variable such as $API_TOKEN or ${DB_PASSWORD}. */
	{ "\\$[{a-z0-9_]+(token|secret|passw|key|auth|credential)", ANY_CASE_ONCE },
	{ "\\$(token|secret|passw|key|auth|credential)", ANY_CASE_ONCE },
	/* A credential-like name given a literal: api_key = "...", "Authorization": "Bearer ...",
	 * .apiKey("..."), and AUTH=x in shell. */
	{ "(token|secret|passw|passphrase|api[_-]?key|_key|-key|auth|credential|private|bearer|cookie)"
	  "[a-z0-9_.\\-]*[\"'\\]]?[ \\t]*(:=|=|:|=>|\\(|,)[ \\t]*[fbr]?[\"'`]((bearer|basic|token|bot) )?"
	  "[^\\s\"'`]{8}", ANY_CASE_ONCE },
	{ "(token|secret|passw|key|auth|credential)[a-z0-9_]*=[a-z0-9+/_\\-]{8}", ANY_CASE_ONCE },
};

#define EXPRESSION_COUNT (sizeof(expressions) / sizeof(expressions[0]))

static hs_database_t *database;

static void compute_cache_key(unsigned char key[32])
{
	struct nhi_sha256 sha;
	const char *version = hs_version();

	nhi_sha256_init(&sha);
	nhi_sha256_update(&sha, PREFILTER_CACHE_VERSION, sizeof(PREFILTER_CACHE_VERSION));
	nhi_sha256_update(&sha, version, strlen(version) + 1);
	for (size_t i = 0; i < EXPRESSION_COUNT; i++) {
		nhi_sha256_update(&sha, expressions[i].pattern, strlen(expressions[i].pattern) + 1);
		nhi_sha256_update(&sha, &expressions[i].flags, sizeof(expressions[i].flags));
	}
	nhi_sha256_final(&sha, key);
}

static int compile_database(void)
{
	const char *patterns[EXPRESSION_COUNT];
	unsigned flags[EXPRESSION_COUNT], ids[EXPRESSION_COUNT];
	hs_compile_error_t *compile_error = NULL;
	int error = 0;

	for (unsigned i = 0; i < EXPRESSION_COUNT; i++) {
		patterns[i] = expressions[i].pattern;
		flags[i] = expressions[i].flags;
		ids[i] = i;
	}
	if (hs_compile_multi(patterns, flags, ids, EXPRESSION_COUNT, HS_MODE_BLOCK, NULL, &database,
			     &compile_error) != HS_SUCCESS) {
		error = nhi_error_set(NHI_ERROR, "failed to compile the source code prefilter: expression %d: %s",
				      compile_error ? compile_error->expression : -1,
				      compile_error ? compile_error->message : "unknown Hyperscan error");
		hs_free_compile_error(compile_error);
	}
	return error;
}

int code_prefilter_build(const char *cache_dir)
{
	/* The rule cache stores a maximum match width per rule; the prefilter has no use for them. */
	uint32_t widths[EXPRESSION_COUNT] = { 0 };
	unsigned char key[32];
	int error;

	compute_cache_key(key);
	if (cache_dir && match_cache_load(&database, widths, EXPRESSION_COUNT, cache_dir, key) == 0)
		return 0;
	if ((error = compile_database()) < 0)
		return error;
	/* A cache that cannot be written only costs the next run the compilation. */
	if (cache_dir && match_cache_store(cache_dir, key, database, widths, EXPRESSION_COUNT) < 0)
		nhi_error_clear();
	return 0;
}

struct scan_context {
	const char *data;
	bool *passed;
};

/* True when the text just before offset start is "user", "user-", "user_" or "user ", in any case. */
static bool follows_user(const char *data, unsigned long long start)
{
	if (start > 0 && (data[start - 1] == '-' || data[start - 1] == '_' || data[start - 1] == ' '))
		start--;
	return start >= 4 && strncasecmp(data + start - 4, "user", 4) == 0;
}

static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *payload)
{
	struct scan_context *context = payload;

	/* Without HS_FLAG_SOM_LEFTMOST, from is 0, but "agent" is five bytes long, so it starts at to - 5. */
	if (id == EXPRESSION_AGENT && follows_user(context->data, to - 5))
		return 0;
	*context->passed = true;
	return 1;
}

int code_prefilter_match(bool *out, struct code_prefilter_scratch **scratch, const char *data, size_t len)
{
	hs_scratch_t *hs_scratch = (hs_scratch_t *)*scratch;
	struct scan_context context;
	hs_error_t status;

	*out = false;
	/* Hyperscan takes an unsigned int length; such files are far above the parse limit anyway. */
	if (len > UINT_MAX)
		return 0;
	if (!hs_scratch) {
		if (hs_alloc_scratch(database, &hs_scratch) != HS_SUCCESS)
			return nhi_error_set(NHI_ENOMEM, "failed to allocate Hyperscan scratch for the source code prefilter");
		*scratch = (struct code_prefilter_scratch *)hs_scratch;
	}
	context.data = data;
	context.passed = out;
	status = hs_scan(database, data, (unsigned)len, 0, hs_scratch, on_match, &context);
	if (status != HS_SUCCESS && status != HS_SCAN_TERMINATED)
		return nhi_error_set(NHI_ERROR, "the source code prefilter failed with Hyperscan error %d", status);
	return 0;
}

void code_prefilter_scratch_free(struct code_prefilter_scratch *scratch)
{
	hs_free_scratch((hs_scratch_t *)scratch);
}
