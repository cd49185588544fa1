/*
 * Command lines in code, and the shell command lines that connect to MCP servers or run agents
 * and models.
 *
 * Every word of an MCP client's command line passes through code_command_add_word(), which
 * replaces a credential by its redacted preview before the word is kept in a fact. These count
 * as credentials:
 * - a span that a signature matched;
 * - the word after a credential-named flag (--api-key VALUE);
 * - the value of NAME=value or "Name: value" when the name reads like a credential;
 * - the password and credential parameters of a URL;
 * - a word that looks random: 24 characters or more of mixed letters and digits, as
 *   extract_value_is_secret() decides.
 * References such as $NAME, placeholders, numbers and paths stay as written.
 *
 * The shell command lines:
 * - claude mcp add [--transport T] [-e KEY=VALUE] [-H HEADER] NAME [--] COMMAND ARGS... registers
 *   an MCP server with a coding agent (codex and gemini take the same form);
 * - claude -p PROMPT, codex exec PROMPT and gemini -p PROMPT run an agent;
 * - curl or wget call a model provider's API host, with the key in a header or the query string.
 * Words are read as the shell would see them when they are literal; a word that contains a
 * variable expansion counts as that variable's reference.
 */
#include "extract/code_internal.h"
#include "match/filter.h"
#include "model/secret.h"
#include "util/error.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define WORDS_MAX CODE_POSITIONAL_MAX

/* Credentials found in one word; a word with more is rare, and those past the limit stay as written. */
#define WORD_SPANS_MAX 8

struct word_spans {
	struct code_span items[WORD_SPANS_MAX];
	size_t count;
};

static void add_span(struct word_spans *spans, size_t start, size_t end)
{
	if (spans->count < WORD_SPANS_MAX && start < end)
		spans->items[spans->count++] = (struct code_span){ (uint32_t)start, (uint32_t)end };
}

static bool is_all_digits(struct code_text text)
{
	for (size_t i = 0; i < text.len; i++)
		if (!isdigit((unsigned char)text.ptr[i]))
			return false;
	return true;
}

/*
 * True when the value of a credential-named flag or key is a credential: anything but a
 * reference, a placeholder, a number, a path or a URL. Short values count too, because a short
 * password is still a password.
 */
static bool is_named_secret(struct code_text value)
{
	struct extract_reference reference;

	if (value.len == 0 || extract_find_reference(&reference, value.ptr, value.len) ||
	    match_is_placeholder(value.ptr, value.len) || is_all_digits(value))
		return false;
	if (value.ptr[0] == '/' || value.ptr[0] == '~' || (value.len > 1 && value.ptr[0] == '.' && value.ptr[1] == '/'))
		return false;
	return memmem(value.ptr, value.len, "://", 3) == NULL;
}

/* Add the span of value, which starts at offset of the word, when it is the secret of a credential-named field. */
static void add_named_span(struct word_spans *spans, struct code_text value, size_t offset)
{
	size_t secret_offset, secret_len;

	while (value.len > 0 && value.ptr[0] == ' ') {
		value.ptr++;
		value.len--;
		offset++;
	}
	extract_secret_span(value.ptr, value.len, &secret_offset, &secret_len);
	if (is_named_secret((struct code_text){ value.ptr + secret_offset, secret_len }))
		add_span(spans, offset + secret_offset, offset + secret_offset + secret_len);
}

/*
 * Split NAME=value, --flag=value or "Name: value" into *name (size bytes) and *value, and return
 * true; return false for a word without a name before '=' or ':'.
 */
static bool split_pair(char *name, size_t size, struct code_text *value, size_t *offset, struct code_text word)
{
	static const char separators[] = { '=', ':' };

	for (size_t i = 0; i < sizeof(separators); i++) {
		const char *at = memchr(word.ptr, separators[i], word.len);

		if (!at)
			continue;
		if (at == word.ptr)
			return false;
		snprintf(name, size, "%.*s", (int)(at - word.ptr), word.ptr);
		*offset = (size_t)(at + 1 - word.ptr);
		*value = (struct code_text){ at + 1, word.len - *offset };
		return true;
	}
	return false;
}

/* The password and credential parameters of a URL word, except references. */
static void find_url_spans(struct word_spans *spans, struct code_text word)
{
	struct extract_url_secret secrets[WORD_SPANS_MAX];
	struct extract_reference reference;
	size_t count = extract_url_secrets(secrets, WORD_SPANS_MAX, word.ptr, word.len);

	for (size_t i = 0; i < count; i++)
		if (!extract_find_reference(&reference, word.ptr + secrets[i].offset, secrets[i].len))
			add_span(spans, secrets[i].offset, secrets[i].offset + secrets[i].len);
}

/* Write the last word kept of entity's command line to out (size bytes), or "" when a word was skipped after it. */
static void read_previous_word(char *out, size_t size, const struct code_entity *entity)
{
	const char *last = strrchr(entity->args, CODE_LIST_SEPARATOR);

	if (entity->word_skipped)
		snprintf(out, size, "%s", "");
	else if (entity->args[0] == '\0')
		snprintf(out, size, "%s", entity->command);
	else
		snprintf(out, size, "%s", last ? last + 1 : entity->args);
}

/* Find the spans of word that contain a credential. previous is the word before word. */
static int find_secret_spans(struct word_spans *spans, struct code_file *file, const char *previous,
			     struct code_text word)
{
	char name[EXTRACT_NAME_MAX] = "";
	struct code_text value = { NULL, 0 };
	size_t offset = 0;
	bool pair = split_pair(name, sizeof(name), &value, &offset, word);
	bool flag = word.len > 0 && word.ptr[0] == '-';
	bool long_flag = flag && word.len > 1 && word.ptr[1] == '-';
	int error;

	spans->count = 0;
	if ((error = code_review_find_signatures(spans->items, WORD_SPANS_MAX, &spans->count, file, word)) < 0)
		return error;
	if (previous[0] == '-' && !strchr(previous, '=') && extract_name_is_credential(previous) && !long_flag)
		add_named_span(spans, word, 0);
	else if (memmem(word.ptr, word.len, "://", 3))
		find_url_spans(spans, word);
	else if (pair && extract_name_is_credential(name))
		add_named_span(spans, value, offset);
	else if (!flag && extract_value_is_secret(NULL, word.ptr, word.len))
		add_span(spans, 0, word.len);
	else if (pair && extract_value_is_secret(NULL, value.ptr, value.len))
		add_span(spans, offset, word.len);
	return 0;
}

static int compare_spans(const void *a, const void *b)
{
	const struct code_span *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end > y->end ? -1 : (x->end < y->end);
}

/* Write word to out (size bytes, cut when longer) with each span replaced by the redacted preview of its text. */
static int redact_spans(char *out, size_t size, struct code_text word, struct word_spans *spans)
{
	size_t used = 0, at = 0;
	char *preview;

	qsort(spans->items, spans->count, sizeof(spans->items[0]), compare_spans);
	out[0] = '\0';
	for (size_t i = 0; i < spans->count; i++) {
		struct code_span span = spans->items[i];

		/* Overlapping spans, such as a signature match inside a flag's value, become one. */
		while (i + 1 < spans->count && spans->items[i + 1].start < span.end) {
			if (spans->items[i + 1].end > span.end)
				span.end = spans->items[i + 1].end;
			i++;
		}
		if (span.start < at)
			span.start = (uint32_t)at;
		if (!(preview = model_secret_redact(word.ptr + span.start, span.end - span.start)))
			return nhi_error_set(NHI_ENOMEM, "out of memory");
		used += (size_t)snprintf(out + used, size - used, "%.*s%s", (int)(span.start - at), word.ptr + at, preview);
		free(preview);
		at = span.end;
		if (used >= size)
			return 0;
	}
	snprintf(out + used, size - used, "%.*s", (int)(word.len - at), word.ptr + at);
	return 0;
}

int code_command_add_word(struct code_file *file, struct code_entity *entity, struct code_text word, bool command)
{
	char previous[CODE_TEXT_MAX], redacted[CODE_TEXT_MAX];
	struct word_spans spans;
	int error;

	read_previous_word(previous, sizeof(previous), entity);
	if ((error = find_secret_spans(&spans, file, command ? "" : previous, word)) < 0 ||
	    (error = redact_spans(redacted, sizeof(redacted), word, &spans)) < 0)
		return error;

	entity->word_skipped = false;
	if (command)
		snprintf(entity->command, sizeof(entity->command), "%s", redacted);
	else
		code_list_append(entity->args, sizeof(entity->args), (struct code_text){ redacted, strlen(redacted) });
	return 0;
}

void code_command_skip_word(struct code_entity *entity)
{
	entity->word_skipped = true;
}

int code_command_redact_url(char *out, size_t size, struct code_file *file, struct code_text url)
{
	char redacted[CODE_TEXT_MAX];
	struct word_spans spans = { .count = 0 };
	int error;

	if ((error = code_review_find_signatures(spans.items, WORD_SPANS_MAX, &spans.count, file, url)) < 0 ||
	    (error = redact_spans(redacted, sizeof(redacted), url, &spans)) < 0)
		return error;
	extract_redact_url(out, size, redacted);
	return 0;
}

struct command_words {
	TSNode nodes[WORDS_MAX];
	char text[WORDS_MAX][CODE_TEXT_MAX]; /* "" for a word that is not a literal */
	size_t count;
};

static void read_words(struct command_words *out, struct code_file *file, const struct code_call *call)
{
	struct code_options options;
	struct code_text text;
	TSNode outer;

	memset(out, 0, sizeof(*out));
	code_options_collect(&options, file, call, false, &outer);
	for (size_t i = 0; i < options.positional_count; i++) {
		out->nodes[i] = options.positional[i];
		if (code_string_literal(&text, file, options.positional[i]))
			code_text_copy(out->text[i], sizeof(out->text[i]), text);
	}
	out->count = options.positional_count;
}

static bool word_is(const struct command_words *words, size_t i, const char *text)
{
	return i < words->count && strcmp(words->text[i], text) == 0;
}

static bool word_is_one_of(const struct command_words *words, size_t i, const char *a, const char *b)
{
	return word_is(words, i, a) || word_is(words, i, b);
}

static int push_entity(struct code_file *file, struct code_entity *entity, const struct code_call *call,
		       const struct code_sdk *sdk, enum code_entity_kind kind)
{
	entity->kind = kind;
	entity->sdk = sdk;
	entity->node = call->node;
	entity->call = call->node;
	entity->point = ts_node_start_point(call->node);
	entity->filled = true;
	return code_array_push(&file->entities, entity, sizeof(*entity));
}

static struct code_entity *last_entity(struct code_file *file)
{
	return &CODE_ITEM(&file->entities, struct code_entity, file->entities.count - 1);
}

/* The literal after the separator: the secret of "KEY=secret" or "Authorization: Bearer secret". */
static bool read_literal_after(struct code_text *out, struct code_file *file, TSNode node, char separator)
{
	struct code_text text;
	const char *at;
	size_t offset, len;

	if (!code_string_literal(&text, file, node) || !(at = memchr(text.ptr, separator, text.len)))
		return false;
	text.len -= (size_t)(at + 1 - text.ptr);
	text.ptr = at + 1;
	while (text.len > 0 && text.ptr[0] == ' ') {
		text.ptr++;
		text.len--;
	}
	extract_secret_span(text.ptr, text.len, &offset, &len);
	out->ptr = text.ptr + offset;
	out->len = len;
	return len > 0;
}

/* -e KEY=VALUE or -H "Name: value": a credential when the name reads like one or the value is a reference. */
static int read_pair_credential(struct code_file *file, size_t index, TSNode node, const char *text, char separator)
{
	struct code_entity *entity = &CODE_ITEM(&file->entities, struct code_entity, index);
	char name[EXTRACT_NAME_MAX];
	struct code_text secret;
	size_t len = strcspn(text, (char[]){ separator, '\0' });

	if (entity->credential != CODE_CREDENTIAL_NONE)
		return 0;
	snprintf(name, sizeof(name), "%.*s", (int)len, text);
	if (code_reference_within(file, node))
		return code_entity_set_credential(file, entity, index, node, name);
	if (!extract_name_is_credential(name) || !read_literal_after(&secret, file, node, separator))
		return 0;
	entity->credential = CODE_CREDENTIAL_LITERAL;
	entity->literal = secret;
	return code_review_literal(file, name, node, secret);
}

static bool is_flag_with_value(const char *word)
{
	static const char *const flags[] = {
		"-t", "--transport", "-e", "--env", "-H", "--header", "-s", "--scope", "--timeout", "--trust", NULL,
	};

	for (size_t i = 0; flags[i]; i++)
		if (strcmp(word, flags[i]) == 0)
			return true;
	return false;
}

/* A word after the server's name: the URL or the command when first is true, else an argument. */
static int add_target_word(struct code_file *file, struct code_entity *client, TSNode node, bool first)
{
	struct code_text text;

	if (!code_string_literal(&text, file, node) || text.len == 0) {
		code_command_skip_word(client);
		return 0;
	}
	if (first && memmem(text.ptr, text.len, "://", 3))
		return code_command_redact_url(client->url, sizeof(client->url), file, text);
	return code_command_add_word(file, client, text, first);
}

/* `AGENT mcp add ...`: the server's name, then its URL or its command and arguments. */
static int build_mcp_add(struct code_file *file, const struct code_call *call, const struct code_sdk *sdk,
			 const struct command_words *words)
{
	struct code_entity entity;
	bool after_separator = false, have_target = false;
	size_t index = file->entities.count;
	int error;

	memset(&entity, 0, sizeof(entity));
	if ((error = push_entity(file, &entity, call, sdk, CODE_MCP_CLIENT)) < 0)
		return error;
	for (size_t i = 2; i < words->count; i++) {
		const char *word = words->text[i];
		struct code_entity *client = last_entity(file);

		if (!after_separator && strcmp(word, "--") == 0) {
			after_separator = true;
		} else if (!after_separator && word[0] == '-' && is_flag_with_value(word) && i + 1 < words->count) {
			i++;
			if (word_is_one_of(words, i - 1, "-t", "--transport"))
				snprintf(client->transport, sizeof(client->transport), "%s", words->text[i]);
			else if (word_is_one_of(words, i - 1, "-e", "--env") &&
				 (error = read_pair_credential(file, index, words->nodes[i], words->text[i], '=')) < 0)
				return error;
			else if (word_is_one_of(words, i - 1, "-H", "--header") &&
				 (error = read_pair_credential(file, index, words->nodes[i], words->text[i], ':')) < 0)
				return error;
		} else if (!after_separator && word[0] == '-') {
			continue;
		} else if (client->name[0] == '\0' && !after_separator) {
			snprintf(client->name, sizeof(client->name), "%s", word);
		} else if ((error = add_target_word(file, client, words->nodes[i], !have_target)) < 0) {
			return error;
		} else {
			have_target = true;
		}
	}
	if (last_entity(file)->transport[0] == '\0')
		snprintf(last_entity(file)->transport, sizeof(last_entity(file)->transport), "%s",
			 last_entity(file)->command[0] ? "stdio" : "http");
	return 0;
}

static void split_tools(struct code_entity *agent, const char *list, TSPoint point)
{
	char copy[CODE_TEXT_MAX];
	char *save = NULL;

	snprintf(copy, sizeof(copy), "%s", list);
	for (char *tool = strtok_r(copy, ", ", &save); tool; tool = strtok_r(NULL, ", ", &save)) {
		struct code_tool entry;
		struct code_array tools = { agent->tools, agent->tool_count, agent->tool_alloc };

		snprintf(entry.name, sizeof(entry.name), "%s", tool);
		entry.point = point;
		if (code_array_push(&tools, &entry, sizeof(entry)) < 0)
			return;
		agent->tools = tools.items;
		agent->tool_count = tools.count;
		agent->tool_alloc = tools.alloc;
	}
}

/* `claude -p PROMPT`, `codex exec PROMPT`, `gemini -p PROMPT`, with --model and --allowedTools. */
static int build_agent_run(struct code_file *file, const struct code_call *call, const struct code_sdk *sdk,
			   const struct command_words *words)
{
	struct code_entity entity;
	bool runs = word_is(words, 0, "exec");
	int error;

	for (size_t i = 0; i < words->count && !runs; i++)
		runs = word_is_one_of(words, i, "-p", "--print") || word_is(words, i, "--prompt");
	if (!runs)
		return 0;
	memset(&entity, 0, sizeof(entity));
	if ((error = push_entity(file, &entity, call, sdk, CODE_AGENT)) < 0)
		return error;
	for (size_t i = 0; i + 1 < words->count; i++) {
		struct code_entity *agent = last_entity(file);

		if (word_is_one_of(words, i, "-m", "--model"))
			snprintf(agent->model, sizeof(agent->model), "%s", words->text[i + 1]);
		else if (word_is_one_of(words, i, "--allowedTools", "--allowed-tools"))
			split_tools(agent, words->text[i + 1], ts_node_start_point(words->nodes[i + 1]));
	}
	if (last_entity(file)->model[0] != '\0') {
		const char *provider = code_sdk_model_provider(last_entity(file)->model);

		if (provider)
			snprintf(last_entity(file)->provider, sizeof(last_entity(file)->provider), "%s", provider);
	}
	return 0;
}

/* The "model" member of a JSON request body given with -d, like '{"model": "gpt-4o", ...}'. */
static void read_body_model(char *out, size_t size, const char *body)
{
	const char *at = strstr(body, "\"model\"");
	size_t len;

	if (!at)
		return;
	at += 7;
	while (*at == ' ' || *at == ':')
		at++;
	if (*at != '"')
		return;
	at++;
	len = strcspn(at, "\"");
	snprintf(out, size, "%.*s", (int)len, at);
}

/* curl or wget to a model API: the provider from the host, the credential from a header or the URL. */
static int build_http_call(struct code_file *file, const struct code_call *call, const struct code_sdk *sdk,
			   const struct command_words *words)
{
	struct code_entity entity;
	const char *provider = NULL;
	size_t index = file->entities.count, url_word = 0;
	int error;

	for (size_t i = 0; i < words->count && !provider; i++) {
		struct code_text text = code_node_text(file, words->nodes[i]);
		char url[CODE_TEXT_MAX];

		code_text_copy(url, sizeof(url), text);
		if ((provider = code_sdk_url_provider(url)) != NULL)
			url_word = i;
	}
	if (!provider)
		return 0;
	memset(&entity, 0, sizeof(entity));
	snprintf(entity.provider, sizeof(entity.provider), "%s", provider);
	if ((error = push_entity(file, &entity, call, sdk, CODE_MODEL_CLIENT)) < 0)
		return error;
	for (size_t i = 0; i + 1 < words->count; i++) {
		if (word_is_one_of(words, i, "-H", "--header") &&
		    (error = read_pair_credential(file, index, words->nodes[i + 1], words->text[i + 1], ':')) < 0)
			return error;
		if (word_is_one_of(words, i, "-d", "--data") || word_is(words, i, "--data-raw"))
			read_body_model(last_entity(file)->model, sizeof(last_entity(file)->model), words->text[i + 1]);
	}
	/* Google's API also takes the key in the query string: ?key=$GEMINI_API_KEY. */
	if (last_entity(file)->credential == CODE_CREDENTIAL_NONE && code_reference_within(file, words->nodes[url_word]))
		return code_entity_set_credential(file, last_entity(file), index, words->nodes[url_word], "key");
	return 0;
}

int code_command_build(struct code_file *file, const struct code_call *call, const struct code_sdk *sdk)
{
	struct command_words words;

	read_words(&words, file, call);
	if ((sdk->flags & CODE_SDK_CLI_MCP) && word_is(&words, 0, "mcp") && word_is(&words, 1, "add"))
		return build_mcp_add(file, call, sdk, &words);
	if (sdk->flags & CODE_SDK_CLI_AGENT)
		return build_agent_run(file, call, sdk, &words);
	if (sdk->flags & CODE_SDK_URL_HOST)
		return build_http_call(file, call, sdk, &words);
	return 0;
}
