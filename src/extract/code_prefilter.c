/*
 * The prefilter of the tree-sitter extractor; see code_prefilter.h.
 *
 * A file passes when it names an agent framework, MCP or a model SDK, reads the environment, or
 * assigns a quoted literal of 8 or more characters (or an unquoted shell word) to a name that
 * contains a credential word. The last test replaced a plain list of credential words: on the
 * Go files of croc, words such as "token" or "auth" alone passed 90 of 167 files, the
 * assignment pattern 46 (see docs/BENCHMARKS.md). Every expression is case-insensitive and
 * reports once, and the scan stops at the first report. The expressions use unbounded repeats
 * such as [a-z0-9_]* rather than bounded ones, because Hyperscan compiled the bounded forms three
 * to ten times slower (50 ms instead of 5 ms for the shell expansion, on the machine of
 * docs/BENCHMARKS.md). The classes cannot cross a line, so the match stays on one line.
 */
#include "extract/code_prefilter.h"
#include "util/error.h"

#include <hs/hs.h>
#include <limits.h>
#include <string.h>

/* Hyperscan expressions (PCRE syntax), so literals have their metacharacters escaped. */
static const char *const expressions[] = {
	/* MCP, agent frameworks and model SDKs. */
	"mcp", "agent", "openai", "anthropic", "genai", "gemini", "langchain", "langgraph", "crewai",
	"autogen", "llama_?index", "semantic_?kernel", "pydantic_ai", "mistral", "cohere", "groq", "ollama",
	"generatetext", "streamtext", "ai-sdk", "claude", "codex",
	/* Environment lookups of the languages that src/extract/code.c parses, and shell expansions of
	 * a credential-like variable such as $API_TOKEN or ${DB_PASSWORD}. */
	"getenv", "environ", "process\\.env", "\\benv\\[", "\\benv\\.(fetch|get)", "meta\\.env",
	"\\$[{a-z0-9_]+(token|secret|passw|key|auth|credential)", "\\$(token|secret|passw|key|auth|credential)",
	/* A credential-like name given a literal: api_key = "...", "Authorization": "Bearer ...", .apiKey("..."),
	 * and AUTH=x in shell. */
	"(token|secret|passw|passphrase|api[_-]?key|_key|-key|auth|credential|private|bearer|cookie)"
	"[a-z0-9_.\\-]*[\"'\\]]?[ \\t]*(:=|=|:|=>|\\(|,)[ \\t]*[fbr]?[\"'`]((bearer|basic|token|bot) )?"
	"[^\\s\"'`]{8}",
	"(token|secret|passw|key|auth|credential)[a-z0-9_]*=[a-z0-9+/_\\-]{8}",
};

#define EXPRESSION_COUNT (sizeof(expressions) / sizeof(expressions[0]))

static hs_database_t *database;

int code_prefilter_build(void)
{
	unsigned flags[EXPRESSION_COUNT], ids[EXPRESSION_COUNT];
	hs_compile_error_t *compile_error = NULL;
	int error = 0;

	for (unsigned i = 0; i < EXPRESSION_COUNT; i++) {
		flags[i] = HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH;
		ids[i] = i;
	}
	if (hs_compile_multi(expressions, flags, ids, EXPRESSION_COUNT, HS_MODE_BLOCK, NULL, &database,
			     &compile_error) != HS_SUCCESS) {
		error = nhi_error_set(NHI_ERROR, "failed to compile the source code prefilter: expression %d: %s",
				      compile_error ? compile_error->expression : -1,
				      compile_error ? compile_error->message : "unknown Hyperscan error");
		hs_free_compile_error(compile_error);
	}
	return error;
}

static int stop_at_first(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *context)
{
	*(bool *)context = true;
	return 1;
}

int code_prefilter_match(bool *out, struct code_prefilter_scratch **scratch, const char *data, size_t len)
{
	hs_scratch_t *hs_scratch = (hs_scratch_t *)*scratch;
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
	status = hs_scan(database, data, (unsigned)len, 0, hs_scratch, stop_at_first, out);
	if (status != HS_SUCCESS && status != HS_SCAN_TERMINATED)
		return nhi_error_set(NHI_ERROR, "the source code prefilter failed with Hyperscan error %d", status);
	return 0;
}

void code_prefilter_scratch_free(struct code_prefilter_scratch *scratch)
{
	hs_free_scratch((hs_scratch_t *)scratch);
}
