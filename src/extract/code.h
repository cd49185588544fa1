/*
 * Code understanding with tree-sitter: agents, MCP servers and clients, model SDK clients and
 * credential references in Python, JavaScript, TypeScript and TSX, Go, Java, Ruby and Bash.
 *
 * The scan calls extract_code_file() for every text file, right after the signature matcher.
 * Most files cost one pass of a small Hyperscan database. A file is parsed only when the
 * signature matcher hit it, or when it names an agent framework, MCP or a model SDK, reads the
 * environment, or assigns a literal to a credential-like name. The parser runs the language's queries from grammars/queries/
 * (compiled into the binary) and appends facts for the inventory, code.* findings, and reworded
 * or down-ranked copies of the signature findings that the code shows to be documentation or
 * environment lookups. Files of other languages cost nothing.
 *
 * Facts (each with path, line and column):
 *   mcp.server          key: server name; attrs origin=code, language, framework, variable, tool
 *   mcp.tool            key: "server/tool"; parent mcp.server:server
 *   mcp.client          key: command or URL (credentials replaced by redacted previews); attrs
 *                       transport, command, arg, package, url, server
 *   agent               key: agent name; attrs framework, model, provider, tool, mcp_server,
 *                       model_client, credential, credential_name, fingerprint
 *   agent.tool          key: function name of a tool defined with a decorator or an annotation
 *   model.client        key: variable or "provider#N" (Nth in the file); attrs provider, framework, model,
 *                       credential, credential_name, default_env, fingerprint
 *   credential.reference key: "env:NAME"; attrs store=env, name, language, usage
 * credential is "literal" (with fingerprint, never the value), "reference" (credential_name is the
 * environment variable), "environment" (no credential is passed and the SDK reads default_env)
 * or "none".
 */
#ifndef NHI_EXTRACT_CODE_H
#define NHI_EXTRACT_CODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "extract/extract.h"

/*
 * Check the ABI of every compiled grammar against the linked tree-sitter runtime. Runs once per
 * process, on the first call; call it at start-up so that a mismatch stops the program before
 * a scan, with a message that names the grammar and the supported ABI range. Returns 0, or the
 * error of the first run again on every later call.
 */
int extract_code_init(void);

/*
 * Extract facts and findings from the source file path (relative to the scan root). When
 * has_secret_match is true, the signature findings for path must be the last entries of
 * out->findings: those inside comments, docstrings or environment lookups are down-ranked or
 * removed here. A file that does not parse cleanly is still read as far as it parses. Returns 0,
 * or a negative code when memory runs out, a query does not compile or extract_code_init() failed.
 */
int extract_code_file(const struct nhi_extract_output *out, const char *path, const char *data, size_t len,
		      bool has_secret_match);

/*
 * Keep the prefilter's compiled Hyperscan database in dir (the rule cache folder), or compile it
 * in every process when dir is NULL. Only the first build in a process reads the setting, so
 * call this before the first extract_code_file(). Returns 0 or NHI_ENOMEM.
 */
int extract_code_set_cache_dir(const char *dir);

/* Compile the queries of every language now instead of on first use; for tests and checks. */
int extract_code_compile_queries(void);

/* Counters summed over all threads since the process started, for `scan --stats` and
 * bench/code.sh. Times are CPU time of the working threads, in nanoseconds. */
struct extract_code_stats {
	uint64_t files;              /* files of a supported language that reached extract_code_file() */
	uint64_t candidates;         /* of those, files that were parsed */
	uint64_t bytes_parsed;
	uint64_t prefilter_build_ns; /* compiling the prefilter's Hyperscan database, once per process */
	uint64_t prefilter_ns;       /* in the prefilter scans */
	uint64_t query_compile_ns;   /* compiling the queries, once per language and process */
	uint64_t parse_ns;           /* in ts_parser_parse_string() */
	uint64_t analysis_ns;        /* in query runs, fact building and finding review */
};

void extract_code_get_stats(struct extract_code_stats *out);

#endif
