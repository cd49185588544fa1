/*
 * What the code_*.c files of the tree-sitter extractor share: the languages, the compiled
 * queries and their captures, the state of one file under analysis, and the SDK knowledge table.
 *
 * The flow for one file is: code.c parses it; code_query.c runs the language's query and hands
 * every match to code_collect.c, which records calls, environment references, bindings,
 * assignments, comments and decorated definitions; code_entity.c turns calls that the SDK table
 * of code_sdk.c lists into entities (agents, MCP servers and clients, model clients) and emits
 * them as facts; code_review.c reports credential assignments and reviews the signature findings.
 * Nodes stay valid while the file's tree lives, so every record keeps nodes, not copies.
 */
#ifndef NHI_EXTRACT_CODE_INTERNAL_H
#define NHI_EXTRACT_CODE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "config/embedded.h"
#include "extract/credential.h"
#include "extract/emit.h"

/* The .scm files of grammars/queries/, in path order; src/tools/embed-files.sh writes the table. */
extern const struct nhi_embedded_file nhi_embedded_queries[];
extern const size_t nhi_embedded_queries_count;

enum code_language {
	CODE_PYTHON,
	CODE_JAVASCRIPT,
	CODE_TYPESCRIPT,
	CODE_TSX,
	CODE_GO,
	CODE_JAVA,
	CODE_RUBY,
	CODE_BASH,
	CODE_LANGUAGE_COUNT,
};

/* Language families, as bits, so that one SDK table entry can serve several grammars. */
#define CODE_FAMILY_PYTHON 0x01u
#define CODE_FAMILY_JS 0x02u     /* JavaScript, TypeScript and TSX */
#define CODE_FAMILY_GO 0x04u
#define CODE_FAMILY_JAVA 0x08u
#define CODE_FAMILY_RUBY 0x10u
#define CODE_FAMILY_BASH 0x20u

struct code_language_info {
	const char *grammar;      /* name for parse_grammar_find() */
	const char *query_folders; /* folders under grammars/queries/, separated by spaces */
	const char *name;         /* the "language" attribute of facts */
	unsigned family;
};

const struct code_language_info *code_language_get(enum code_language language);

/* Find the language of path; false for a file that no supported grammar parses. */
bool code_language_for_path(enum code_language *out, const char *path);

/* The captures that the query files may use; names starting with '_' serve predicates only. */
enum code_capture {
	CODE_CAPTURE_CALL,
	CODE_CAPTURE_CALL_FUNCTION,
	CODE_CAPTURE_CALL_RECEIVER,
	CODE_CAPTURE_CALL_ARGUMENTS,
	CODE_CAPTURE_REFERENCE,
	CODE_CAPTURE_REFERENCE_NAME,
	CODE_CAPTURE_BINDING_NAME,
	CODE_CAPTURE_BINDING_VALUE,
	CODE_CAPTURE_ASSIGNMENT_NAME,
	CODE_CAPTURE_ASSIGNMENT_VALUE,
	CODE_CAPTURE_COMMENT,
	CODE_CAPTURE_DOCSTRING,
	CODE_CAPTURE_DEFINITION,
	CODE_CAPTURE_DEFINITION_DECORATOR,
	CODE_CAPTURE_DEFINITION_NAME,
	CODE_CAPTURE_COUNT,
};

/* One query match, reduced to the first node of each known capture (null nodes for absent ones). */
struct code_match {
	TSNode nodes[CODE_CAPTURE_COUNT];
};

struct code_query;

/* Return the compiled query of language, compiling it on first use (thread-safe). */
int code_query_get(const struct code_query **out, enum code_language language);

typedef int (*code_match_fn)(void *payload, const struct code_match *match);

/* Run query over root and call fn for every match whose predicates hold; fn's error stops the run. */
int code_query_run(const struct code_query *query, TSQueryCursor *cursor, TSNode root, const char *data,
		   code_match_fn fn, void *payload);

/* Maximum length of text kept from the file for names, keys and commands; longer text is cut. */
#define CODE_TEXT_MAX 256

struct code_text {
	const char *ptr; /* into the file's data */
	size_t len;
};

struct code_reference {
	TSNode node;                 /* the whole lookup, like os.environ["NAME"] */
	char name[EXTRACT_NAME_MAX]; /* the variable's name */
	bool credential_use;         /* passed as a credential or assigned to a credential-like name */
	size_t user;                 /* index + 1 of the entity that uses it, 0 for none */
};

/* A variable bound to a value, so that an identifier argument can be followed to its value. */
struct code_binding {
	struct code_text name;
	TSNode value;                /* null when the binding is a destructured reference */
	TSNode reference;            /* the reference it is bound to, or a null node */
};

struct code_call {
	TSNode node;
	TSNode function;
	TSNode receiver;
	TSNode arguments;
	char callee[CODE_TEXT_MAX];  /* normalized: "openai.OpenAI", "OpenAI.Client.new", "server.tool" */
};

struct code_pair {
	TSNode name;
	TSNode value;
};

struct code_definition {
	TSNode node;
	TSNode decorator;
	TSNode name;
};

struct code_span {
	uint32_t start;
	uint32_t end;
};

enum code_entity_kind {
	CODE_MCP_SERVER,
	CODE_MCP_CLIENT,
	CODE_AGENT,
	CODE_MODEL_CLIENT,
};

enum code_credential {
	CODE_CREDENTIAL_NONE,
	CODE_CREDENTIAL_LITERAL,
	CODE_CREDENTIAL_REFERENCE,
	CODE_CREDENTIAL_ENVIRONMENT,
	CODE_CREDENTIAL_EXPRESSION,
	CODE_CREDENTIAL_PLACEHOLDER,
};

/* Options of an SDK table entry. */
#define CODE_SDK_CHAIN 0x01u     /* a builder: options are the methods called on its result (Java) */
#define CODE_SDK_MULTI 0x02u     /* an MCP client whose first argument maps server names to servers */
#define CODE_SDK_CLI_MCP 0x04u   /* a command line like `claude mcp add NAME -- COMMAND ARGS` */
#define CODE_SDK_URL_HOST 0x08u  /* a command line whose URL argument names the provider (curl) */
#define CODE_SDK_CLI_AGENT 0x10u /* an agent command line like `claude -p PROMPT` */
#define CODE_SDK_EXACT 0x20u     /* the callee must be the entry's name itself, not end with it */

/* A call that creates an agent, an MCP server or client, or a model client. */
struct code_sdk {
	const char *callee;      /* dotted suffix of the normalized callee, like "OpenAI" or "genai.Client" */
	unsigned families;       /* CODE_FAMILY_* bits */
	const char *requires;    /* text the file must contain, like an import path; '|' separates choices */
	enum code_entity_kind kind;
	const char *framework;
	const char *provider;    /* model provider, or NULL when the model or URL decides */
	const char *default_env; /* variable the SDK reads when no credential is passed */
	const char *transport;   /* MCP clients: "stdio", "streamable-http", "sse" or "websocket" */
	/* Positions of positional arguments, 1-based, 0 for none. */
	unsigned char name_arg, model_arg, tools_arg, credential_arg, command_arg, args_arg, url_arg;
	unsigned flags;
};

/* Return the entry for callee in a file of family whose text is data, or NULL. */
const struct code_sdk *code_sdk_find(const char *callee, unsigned family, const char *data, size_t len);

/* Provider of a model name such as "gpt-4o", "claude-3-5-sonnet" or "openai:gpt-4o", or NULL. */
const char *code_sdk_model_provider(const char *model);

/* Provider of a model API URL such as "https://api.openai.com/v1/...", or NULL. */
const char *code_sdk_url_provider(const char *url);

/* Provider of a model factory function such as openai("gpt-4o") of the Vercel AI SDK, or NULL. */
const char *code_sdk_factory_provider(const char *callee, unsigned family, const char **default_env);

/* True when callee registers a tool on the MCP server it is called on: server.tool(...). */
bool code_sdk_is_tool_method(const char *method, unsigned family);

/* True when a decorator or annotation named name (last segment) defines an agent tool. */
bool code_sdk_is_tool_decorator(const char *name);

struct code_tool {
	char name[EXTRACT_NAME_MAX];
	TSPoint point;
};

struct code_entity {
	enum code_entity_kind kind;
	const struct code_sdk *sdk;
	TSNode node;                      /* the creating expression: the outermost call of a chain */
	TSNode call;                      /* the call that matched the SDK table */
	TSPoint point;                    /* where the fact is reported */
	bool filled;                      /* fields were set when the entity was created */
	char key[CODE_TEXT_MAX];
	char name[EXTRACT_NAME_MAX];
	char variable[EXTRACT_NAME_MAX];
	char model[EXTRACT_NAME_MAX];
	char provider[64];
	char transport[32];
	char command[CODE_TEXT_MAX];      /* with a literal credential replaced by its redacted preview */
	char args[CODE_TEXT_MAX];         /* a list (CODE_LIST_SEPARATOR), credentials redacted as in command */
	bool word_skipped;                /* the last command-line word was not a literal and was left out */
	char url[CODE_TEXT_MAX];          /* credentials replaced by ****, signature matches by their previews */
	enum code_credential credential;
	char credential_name[EXTRACT_NAME_MAX];
	struct code_text literal;         /* the literal credential, for its fingerprint only */
	const char *default_env;
	size_t model_client;              /* index + 1 of the linked model client, 0 for none */
	struct code_tool *tools;
	size_t tool_count;
	size_t tool_alloc;
	char mcp_servers[CODE_TEXT_MAX];  /* a list (CODE_LIST_SEPARATOR) of the MCP servers an agent uses */
};

/* A growable array of fixed-size records. */
struct code_array {
	void *items;
	size_t count;
	size_t alloc;
};

/* Append a copy of item (size bytes); returns 0 or NHI_ENOMEM. */
int code_array_push(struct code_array *array, const void *item, size_t size);

#define CODE_ITEM(array, type, index) (((type *)(array)->items)[index])

/* The analysis state of one parsed file. */
struct code_file {
	struct extract_file file;
	enum code_language language;
	const struct code_language_info *info;
	TSNode root;
	struct code_array references;   /* struct code_reference */
	struct code_array bindings;     /* struct code_binding */
	struct code_array calls;        /* struct code_call */
	struct code_array assignments;  /* struct code_pair */
	struct code_array definitions;  /* struct code_definition */
	struct code_array comments;     /* struct code_span */
	struct code_array docstrings;   /* struct code_span */
	struct code_array entities;     /* struct code_entity */
	struct code_array reported;     /* struct code_span of literals already reported */
	/* The signature findings of this file: out->findings[findings_begin, findings_end). */
	size_t findings_begin;
	size_t findings_end;
	size_t *line_starts;            /* byte offset of each line, built on first use */
	size_t line_count;
};

void code_file_dispose(struct code_file *file);

/* Record one query match in the file's arrays. */
int code_collect_match(void *payload, const struct code_match *match);

/* Sort calls and references by position and drop duplicates that two patterns matched. */
void code_collect_finish(struct code_file *file);

/* The text of node. */
struct code_text code_node_text(const struct code_file *file, TSNode node);

/* Copy text to out (size bytes, NUL-terminated, cut when longer). */
void code_text_copy(char *out, size_t size, struct code_text text);

/* The line and column (1-based) of point, as struct parse_pos. */
struct parse_pos code_pos(TSPoint point);

/*
 * Read node as a plain string literal: quotes and prefixes removed, no interpolation. Unquoted
 * shell words and symbols count. Returns false for anything else.
 */
bool code_string_literal(struct code_text *out, const struct code_file *file, TSNode node);

/* Return the index + 1 of the reference whose node is node, or 0. */
size_t code_reference_at(const struct code_file *file, TSNode node);

/* Return the index + 1 of the first reference inside node's byte range, or 0. */
size_t code_reference_within(const struct code_file *file, TSNode node);

enum code_value_kind {
	CODE_VALUE_NONE,
	CODE_VALUE_LITERAL,
	CODE_VALUE_REFERENCE,
	CODE_VALUE_CALL,
	CODE_VALUE_OTHER,
};

struct code_value {
	enum code_value_kind kind;
	TSNode node;                 /* the value after following bindings and wrappers */
	struct code_text text;       /* the literal's text */
	size_t reference;            /* index + 1 into references */
	size_t call;                 /* index + 1 into calls */
};

/* Describe node, following identifiers to their bindings and unwrapping await, parentheses and ?? fallbacks. */
void code_value_read(struct code_value *out, const struct code_file *file, TSNode node);

/* Keyword arguments, object literal members, Go options and builder methods of one call. */
#define CODE_OPTIONS_MAX 48
#define CODE_POSITIONAL_MAX 16

struct code_option {
	char key[64];                /* lower case, letters and digits only: "apikey" */
	char raw_key[64];            /* as written: "api_key" */
	TSNode value;
	TSNode arguments;            /* the argument list of a builder method, for several values */
};

struct code_options {
	struct code_option items[CODE_OPTIONS_MAX];
	size_t count;
	TSNode positional[CODE_POSITIONAL_MAX];
	size_t positional_count;
};

/* Collect the options of call; for a CODE_SDK_CHAIN entry, *outer receives the chain's last call. */
void code_options_collect(struct code_options *out, const struct code_file *file, const struct code_call *call,
			  bool chain, TSNode *outer);

/* Return the first option whose key is one of keys (NULL-terminated), or NULL. */
const struct code_option *code_options_find(const struct code_options *options, const char *const *keys);

/* Return positional argument position (1-based), or a null node. */
TSNode code_options_positional(const struct code_options *options, unsigned position);

/* Return the call whose node is node, as index + 1, or 0. */
size_t code_call_at(const struct code_file *file, TSNode node);

/* Build entities from the calls and definitions, then emit them as facts. */
int code_entities_build(struct code_file *file);
int code_entities_emit(struct code_file *file);

/*
 * Set the credential of entity (at index of the file's entities) from the value node: a literal
 * (reported through code_review_literal() under name), a reference or an expression.
 */
int code_entity_set_credential(struct code_file *file, struct code_entity *entity, size_t index, TSNode node,
			       const char *name);

/* Append word to the space-separated list out (size bytes); a word that does not fit is dropped. */
void code_append_word(char *out, size_t size, struct code_text word);

/*
 * Separator of the items of a list kept in one string, such as arguments or server names that
 * may contain spaces. It is the ASCII unit separator, which source text does not normally contain.
 */
#define CODE_LIST_SEPARATOR '\x1f'

/*
 * Append item to the list out (size bytes), with a separator inside item replaced by a space.
 * An empty item, or one that does not fit, is dropped.
 */
void code_list_append(char *out, size_t size, struct code_text item);

/*
 * Set entity's command to word when command is true, else append word to its args. A credential
 * in word is replaced by its redacted preview first: a signature match, the value after a
 * credential-named flag or in NAME=value, a URL's credential, or a value that looks random (see
 * code_command.c). word should point into the file's data, so that signature matches are found.
 */
int code_command_add_word(struct code_file *file, struct code_entity *entity, struct code_text word, bool command);

/* Note that a command-line word of entity was left out, so that the next one is not read as its value. */
void code_command_skip_word(struct code_entity *entity);

/*
 * Write the URL text (which points into the file's data) to out (size bytes) with its signature
 * matches replaced by their redacted previews and its credentials as extract_redact_url() does.
 */
int code_command_redact_url(char *out, size_t size, struct code_file *file, struct code_text url);

/* Create the entity of a shell command line: `claude mcp add`, `claude -p`, curl to a model API. */
int code_command_build(struct code_file *file, const struct code_call *call, const struct code_sdk *sdk);

/* Report literal credentials assigned to credential-like names, and emit the references. */
int code_review_assignments(struct code_file *file);
int code_review_references(struct code_file *file);

/* True when literal reads like a generated credential rather than a name, phrase or placeholder. */
bool code_review_is_secret(struct code_text literal);

/*
 * Report the literal value of a credential-named key unless it was reported already. In a test
 * file, a value shaped like a placeholder is reported with severity low and the reason, and so is
 * a generic signature finding on it.
 */
int code_review_literal(struct code_file *file, const char *name, TSNode node, struct code_text literal);

/*
 * Find the signature findings of the file that overlap text, which must point into the file's
 * data. Writes up to max of their spans to out, as byte offsets from text.ptr cut to text, and
 * their number to *count. Returns 0, or NHI_ENOMEM.
 */
int code_review_find_signatures(struct code_span *out, size_t max, size_t *count, struct code_file *file,
				struct code_text text);

/* Down-rank or remove the signature findings of the file that the syntax shows to be harmless. */
int code_review_findings(struct code_file *file);

#endif
