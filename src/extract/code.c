/*
 * Entry point of the tree-sitter extractor; see code.h for what it extracts.
 *
 * Everything shared between threads is immutable after its lazy, once-only set-up: the grammar
 * ABI check, the prefilter database (code_prefilter.c) and the compiled queries (code_query.c).
 * What tree-sitter and Hyperscan require per thread, a TSParser, a TSQueryCursor and a
 * Hyperscan scratch, lives in a thread-specific slot and is freed when the thread exits.
 */
#include "extract/code.h"
#include "core/finding.h"
#include "extract/code_internal.h"
#include "extract/code_prefilter.h"
#include "parse/grammar.h"
#include "util/buf.h"
#include "util/error.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * Files larger than this are not parsed: above a few megabytes source files are generated or
 * minified bundles, where parsing costs seconds and finds no hand-written agent code. The
 * signature scan still covers them.
 */
#define PARSE_MAX_BYTES (4u << 20)
/* A parse that takes longer is abandoned with a warning; a safety net for pathological input. */
#define PARSE_TIMEOUT_MICROS (10u * 1000u * 1000u)

static const struct code_language_info languages[CODE_LANGUAGE_COUNT] = {
	[CODE_PYTHON] = { "python", "python", "python", CODE_FAMILY_PYTHON },
	/* ecmascript/ contains the queries that the JavaScript and TypeScript grammars share. */
	[CODE_JAVASCRIPT] = { "javascript", "ecmascript javascript", "javascript", CODE_FAMILY_JS },
	[CODE_TYPESCRIPT] = { "typescript", "ecmascript typescript", "typescript", CODE_FAMILY_JS },
	/* The TSX grammar has every node type of the TypeScript one, so the TypeScript queries fit. */
	[CODE_TSX] = { "tsx", "ecmascript typescript", "typescript", CODE_FAMILY_JS },
	[CODE_GO] = { "go", "go", "go", CODE_FAMILY_GO },
	[CODE_JAVA] = { "java", "java", "java", CODE_FAMILY_JAVA },
	[CODE_RUBY] = { "ruby", "ruby", "ruby", CODE_FAMILY_RUBY },
	[CODE_BASH] = { "bash", "bash", "bash", CODE_FAMILY_BASH },
};

struct thread_tools {
	TSParser *parser;
	TSQueryCursor *cursor;
	struct code_prefilter_scratch *scratch;
};

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static pthread_key_t tools_key;
static int init_error;
static char init_message[512];

/* Built on the first file of a supported language, not at start-up: Hyperscan takes tens of
 * milliseconds to compile it, which a scan without source code should not pay. */
static pthread_once_t prefilter_once = PTHREAD_ONCE_INIT;
static int prefilter_error;
static char prefilter_message[512];
/* Cache folder of the prefilter database, set by extract_code_set_cache_dir() and read by the build. */
static pthread_mutex_t cache_dir_lock = PTHREAD_MUTEX_INITIALIZER;
static char *cache_dir;

static struct extract_code_stats stats;

const struct code_language_info *code_language_get(enum code_language language)
{
	return &languages[language];
}

bool code_language_for_path(enum code_language *out, const char *path)
{
	const char *grammar = parse_grammar_for_path(path);

	if (!grammar)
		return false;
	for (size_t i = 0; i < CODE_LANGUAGE_COUNT; i++) {
		if (strcmp(languages[i].grammar, grammar) == 0) {
			*out = (enum code_language)i;
			return true;
		}
	}
	return false;
}

static void free_thread_tools(void *pointer)
{
	struct thread_tools *tools = pointer;

	if (!tools)
		return;
	if (tools->parser)
		ts_parser_delete(tools->parser);
	if (tools->cursor)
		ts_query_cursor_delete(tools->cursor);
	code_prefilter_scratch_free(tools->scratch);
	free(tools);
}

static void run_init(void)
{
	int error = parse_grammar_check_abi();

	if (error == 0 && pthread_key_create(&tools_key, free_thread_tools) != 0)
		error = nhi_error_set(NHI_ERROR, "failed to create the thread key of the code extractor");
	if (error < 0) {
		init_error = error;
		snprintf(init_message, sizeof(init_message), "%s", nhi_error_last());
	}
}

int extract_code_init(void)
{
	pthread_once(&init_once, run_init);
	if (init_error < 0)
		return nhi_error_set(init_error, "%s", init_message);
	return 0;
}

/* CPU time of the calling thread: on a shared machine, wall time would count other programs' work. */
static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void add_stat(uint64_t *counter, uint64_t amount)
{
	__atomic_fetch_add(counter, amount, __ATOMIC_RELAXED);
}

int extract_code_set_cache_dir(const char *dir)
{
	char *copy = NULL;

	if (dir && !(copy = strdup(dir)))
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	pthread_mutex_lock(&cache_dir_lock);
	free(cache_dir);
	cache_dir = copy;
	pthread_mutex_unlock(&cache_dir_lock);
	return 0;
}

static void build_prefilter(void)
{
	uint64_t start = now_ns();

	pthread_mutex_lock(&cache_dir_lock);
	if ((prefilter_error = code_prefilter_build(cache_dir)) < 0)
		snprintf(prefilter_message, sizeof(prefilter_message), "%s", nhi_error_last());
	pthread_mutex_unlock(&cache_dir_lock);
	add_stat(&stats.prefilter_build_ns, now_ns() - start);
}

static int prepare_prefilter(void)
{
	pthread_once(&prefilter_once, build_prefilter);
	if (prefilter_error < 0)
		return nhi_error_set(prefilter_error, "%s", prefilter_message);
	return 0;
}

static int get_thread_tools(struct thread_tools **out)
{
	struct thread_tools *tools = pthread_getspecific(tools_key);

	if (tools) {
		*out = tools;
		return 0;
	}
	tools = calloc(1, sizeof(*tools));
	if (!tools)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	tools->parser = ts_parser_new();
	tools->cursor = ts_query_cursor_new();
	if (!tools->parser || !tools->cursor) {
		free_thread_tools(tools);
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	}
	ts_parser_set_timeout_micros(tools->parser, PARSE_TIMEOUT_MICROS);
	if (pthread_setspecific(tools_key, tools) != 0) {
		free_thread_tools(tools);
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	}
	*out = tools;
	return 0;
}

void extract_code_get_stats(struct extract_code_stats *out)
{
	out->files = __atomic_load_n(&stats.files, __ATOMIC_RELAXED);
	out->candidates = __atomic_load_n(&stats.candidates, __ATOMIC_RELAXED);
	out->bytes_parsed = __atomic_load_n(&stats.bytes_parsed, __ATOMIC_RELAXED);
	out->prefilter_build_ns = __atomic_load_n(&stats.prefilter_build_ns, __ATOMIC_RELAXED);
	out->prefilter_ns = __atomic_load_n(&stats.prefilter_ns, __ATOMIC_RELAXED);
	out->query_compile_ns = __atomic_load_n(&stats.query_compile_ns, __ATOMIC_RELAXED);
	out->parse_ns = __atomic_load_n(&stats.parse_ns, __ATOMIC_RELAXED);
	out->analysis_ns = __atomic_load_n(&stats.analysis_ns, __ATOMIC_RELAXED);
}

int extract_code_compile_queries(void)
{
	const struct code_query *query;
	int error;

	if ((error = extract_code_init()) < 0)
		return error;
	for (size_t i = 0; i < CODE_LANGUAGE_COUNT; i++)
		if ((error = code_query_get(&query, (enum code_language)i)) < 0)
			return error;
	return 0;
}

static int warn_unparsed(const struct extract_file *file, const char *reason)
{
	struct nhi_buf message = NHI_BUF_INIT;
	int error;

	if ((error = nhi_buf_printf(&message, "%s:1: %s; code facts of this file skipped", file->path, reason)) == 0)
		error = extract_warning(file, message.ptr);
	nhi_buf_dispose(&message);
	return error;
}

/*
 * Run the query over the parsed file and turn what it found into facts and findings. Sets
 * *compile_ns to the CPU time spent getting the query. After the first file of a language that
 * is one atomic load, so the time is its compilation.
 */
static int analyze(struct code_file *file, struct thread_tools *tools, bool has_secret_match, uint64_t *compile_ns)
{
	const struct code_query *query;
	uint64_t start = now_ns();
	int error;

	error = code_query_get(&query, file->language);
	*compile_ns = now_ns() - start;
	add_stat(&stats.query_compile_ns, *compile_ns);
	if (error < 0)
		return error;
	if ((error = code_query_run(query, tools->cursor, file->root, file->file.data, code_collect_match, file)) < 0)
		return error;
	code_collect_finish(file);
	if ((error = code_entities_build(file)) < 0 ||
	    (error = code_review_assignments(file)) < 0 ||
	    (error = code_entities_emit(file)) < 0 ||
	    (error = code_review_references(file)) < 0)
		return error;
	if (has_secret_match)
		return code_review_findings(file);
	return 0;
}

static int parse_and_analyze(struct code_file *file, struct thread_tools *tools, bool has_secret_match)
{
	const TSLanguage *grammar = NULL;
	TSTree *tree = NULL;
	uint64_t start = now_ns(), parsed, compile_ns = 0;
	int error;

	if ((error = parse_grammar_find(&grammar, file->info->grammar)) < 0)
		goto done;
	if (!ts_parser_set_language(tools->parser, grammar)) {
		error = nhi_error_set(NHI_EUNSUPPORTED, "the tree-sitter runtime rejected grammar '%s'",
				      file->info->grammar);
		goto done;
	}
	tree = ts_parser_parse_string(tools->parser, NULL, file->file.data, (uint32_t)file->file.len);
	parsed = now_ns();
	add_stat(&stats.parse_ns, parsed - start);
	if (!tree) {
		ts_parser_reset(tools->parser);
		error = warn_unparsed(&file->file, "parsing timed out");
		goto done;
	}
	file->root = ts_tree_root_node(tree);
	error = analyze(file, tools, has_secret_match, &compile_ns);
	add_stat(&stats.analysis_ns, now_ns() - parsed - compile_ns);

done:
	if (tree)
		ts_tree_delete(tree);
	return error;
}

/* The signature findings of path are the last entries of the findings; return where they begin. */
static size_t find_findings_begin(const struct nhi_extract_output *out, const char *path)
{
	size_t begin = out->findings->count;

	while (begin > 0 && strcmp(((const struct nhi_finding *)out->findings->items[begin - 1])->path, path) == 0)
		begin--;
	return begin;
}

int extract_code_file(const struct nhi_extract_output *out, const char *path, const char *data, size_t len,
		      bool has_secret_match)
{
	struct code_file file;
	struct thread_tools *tools = NULL;
	enum code_language language;
	bool candidate = has_secret_match;
	uint64_t start;
	int error;

	if (!code_language_for_path(&language, path))
		return 0;
	memset(&file, 0, sizeof(file));
	file.file.out = out;
	file.file.path = path;
	file.file.data = data;
	file.file.len = len;
	if ((error = extract_code_init()) < 0 || (error = prepare_prefilter()) < 0 ||
	    (error = get_thread_tools(&tools)) < 0)
		return error;
	add_stat(&stats.files, 1);

	start = now_ns();
	if (!candidate && (error = code_prefilter_match(&candidate, &tools->scratch, data, len)) < 0)
		return error;
	add_stat(&stats.prefilter_ns, now_ns() - start);
	if (!candidate || len > PARSE_MAX_BYTES)
		return 0;

	file.findings_end = out->findings->count;
	file.findings_begin = has_secret_match ? find_findings_begin(out, path) : file.findings_end;
	add_stat(&stats.candidates, 1);
	add_stat(&stats.bytes_parsed, len);
	file.language = language;
	file.info = code_language_get(language);
	error = parse_and_analyze(&file, tools, has_secret_match);
	code_file_dispose(&file);
	return error;
}
