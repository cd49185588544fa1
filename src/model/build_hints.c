/*
 * Hints the builder reads from names: the reference entity of a variable, the provider a name
 * points at, the environment a path is for, and the variable a secret on a line is assigned to.
 * All of it is matching on text, so each rule errs on the side of finding nothing: a missed link
 * costs a line in the file, a wrong one misleads the reviewer.
 */
#include "model/build_private.h"
#include "util/buf.h"
#include "util/error.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Maximum length of a provider name or name token that is matched; longer ones are cut. */
#define MAX_KEY 64

/* Stores whose names share one namespace: the variables of a process and a pipeline. */
static const char *const shared_stores[] = { "env", "secret", "variable", "assignment" };

/* Short names that people write for providers whose rule-set name is longer or different. */
static const struct {
	const char *alias;
	const char *provider; /* normalised */
} provider_aliases[] = {
	{ "aws", "amazonwebservices" },
	{ "gh", "github" },
	{ "githubactions", "github" },
	{ "githubapp", "github" },
	{ "gcp", "googlecloud" },
	{ "gcloud", "googlecloud" },
	{ "azure", "microsoftazure" },
	{ "arm", "microsoftazure" },
	{ "hf", "huggingface" },
};

static const struct {
	const char *word;
	const char *environment;
} environment_words[] = {
	{ "production", "production" }, { "prod", "production" }, { "prd", "production" }, { "live", "production" },
	{ "staging", "staging" }, { "stage", "staging" }, { "stg", "staging" }, { "preprod", "staging" },
	{ "uat", "staging" },
	{ "development", "development" }, { "dev", "development" }, { "local", "development" },
	{ "test", "test" }, { "tests", "test" }, { "testing", "test" }, { "qa", "test" },
	{ "sandbox", "sandbox" },
};

static bool is_shared_store(const char *store)
{
	size_t len = strlen(store);

	for (size_t i = 0; i < sizeof(shared_stores) / sizeof(shared_stores[0]); i++)
		if (strcmp(store, shared_stores[i]) == 0)
			return true;
	/* gitlab-variable, circleci-variable, bitbucket-variable */
	return len > 9 && strcmp(store + len - 9, "-variable") == 0;
}

int build_reference(struct nhi_inv_entity **out, struct build_state *state, const char *store, const char *name)
{
	struct nhi_buf label = NHI_BUF_INIT, identity = NHI_BUF_INIT;
	struct nhi_inv_entity *entity = NULL;
	char *id = NULL;
	int error;

	if (is_shared_store(store))
		error = nhi_buf_puts(&label, name) < 0 || nhi_buf_puts(&identity, name) < 0 ? NHI_ENOMEM : 0;
	else
		error = nhi_buf_printf(&label, "%s-%s", store, name) < 0 ||
			nhi_buf_printf(&identity, "%s:%s", store, name) < 0 ? NHI_ENOMEM : 0;
	if (error < 0 ||
	    (error = model_inventory_make_id(&id, "ref", label.ptr, identity.ptr)) < 0 ||
	    (error = model_inventory_add(&entity, state->inv, NHI_KIND_REFERENCES, id, name)) < 0 ||
	    (error = model_entity_add(entity, "stores", store)) < 0)
		goto done;
	*out = entity;

done:
	free(id);
	nhi_buf_dispose(&label);
	nhi_buf_dispose(&identity);
	return error;
}

int build_credential(struct nhi_inv_entity **out, struct build_state *state, const char *fingerprint)
{
	struct nhi_inv_entity *entity = NULL;
	char *id = NULL;
	int error;

	if ((error = model_inventory_credential_id(&id, fingerprint)) < 0 ||
	    (error = model_inventory_add(&entity, state->inv, NHI_KIND_CREDENTIALS, id, NULL)) < 0 ||
	    (error = model_entity_set(entity, "fingerprint", fingerprint)) < 0)
		goto done;
	*out = entity;

done:
	free(id);
	return error;
}

/* Lower-case letters and digits of text[0, len), at most MAX_KEY of them. */
static void normalize(char out[MAX_KEY + 1], const char *text, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len && n < MAX_KEY; i++)
		if (isalnum((unsigned char)text[i]))
			out[n++] = (char)tolower((unsigned char)text[i]);
	out[n] = '\0';
}

int build_index_providers(struct build_state *state)
{
	const struct nhi_vec *providers = state->input->providers;
	char key[MAX_KEY + 1];
	int error = 0;

	for (size_t i = 0; providers && i < providers->count && error == 0; i++) {
		const char *name = providers->items[i];
		char *copy;

		normalize(key, name, strlen(name));
		if (!(copy = strdup(key)))
			return nhi_error_set(NHI_ENOMEM, "out of memory");
		if ((error = nhi_vec_push(&state->provider_keys, copy)) < 0)
			free(copy);
	}
	return error;
}

/* The provider whose normalised name is key, after aliases; "generic" names none. */
static const char *lookup_provider(const struct build_state *state, const char *key)
{
	for (size_t i = 0; i < sizeof(provider_aliases) / sizeof(provider_aliases[0]); i++)
		if (strcmp(key, provider_aliases[i].alias) == 0) {
			key = provider_aliases[i].provider;
			break;
		}
	if (!*key || strcmp(key, "generic") == 0)
		return NULL;
	for (size_t i = 0; i < state->provider_keys.count; i++)
		if (strcmp(state->provider_keys.items[i], key) == 0)
			return state->input->providers->items[i];
	return NULL;
}

const char *build_resolve_provider(const struct build_state *state, const char *text)
{
	char key[MAX_KEY + 1];

	normalize(key, text, strlen(text));
	return lookup_provider(state, key);
}

/* Split name at '_', '-', '.' and other non-alphanumerics into at most max tokens. */
static size_t split_name(const char *name, const char **starts, size_t *lens, size_t max)
{
	size_t count = 0;

	for (const char *p = name; *p && count < max;) {
		while (*p && !isalnum((unsigned char)*p))
			p++;
		if (!*p)
			break;
		starts[count] = p;
		while (isalnum((unsigned char)*p))
			p++;
		lens[count] = (size_t)(p - starts[count]);
		count++;
	}
	return count;
}

const char *build_provider_of_name(const struct build_state *state, const char *name)
{
	const char *starts[16];
	size_t lens[16];
	size_t count = split_name(name, starts, lens, 16);
	char key[MAX_KEY + 1];
	const char *provider;

	/* One token (SLACK_BOT_TOKEN), then two joined (HUGGING_FACE_TOKEN). */
	for (size_t i = 0; i < count; i++) {
		normalize(key, starts[i], lens[i]);
		if ((provider = lookup_provider(state, key)) != NULL)
			return provider;
	}
	for (size_t i = 0; i + 1 < count; i++) {
		normalize(key, starts[i], (size_t)(starts[i + 1] + lens[i + 1] - starts[i]));
		if ((provider = lookup_provider(state, key)) != NULL)
			return provider;
	}
	return NULL;
}

/* "Amazon Web Services" gives "amazon-web-services". */
static void provider_slug(char *out, size_t size, const char *name)
{
	size_t n = 0;
	bool dash = false;

	for (const char *p = name; *p && n + 2 < size; p++) {
		if (isalnum((unsigned char)*p)) {
			if (dash && n > 0)
				out[n++] = '-';
			out[n++] = (char)tolower((unsigned char)*p);
			dash = false;
		} else {
			dash = true;
		}
	}
	out[n] = '\0';
}

int build_link_provider(struct build_state *state, struct nhi_inv_entity *entity, const char *provider,
			const char *type)
{
	struct nhi_inv_entity *target = NULL;
	const char *canonical;
	char slug[MAX_KEY * 2];
	char *id = NULL;
	int error;

	if (!provider || !*provider)
		return 0;
	canonical = build_resolve_provider(state, provider);
	if (!canonical) {
		char key[MAX_KEY + 1];

		/* A provider the rule set does not know keeps its own name, unless it names none. */
		normalize(key, provider, strlen(provider));
		if (!*key || strcmp(key, "generic") == 0 || strcmp(key, "unknown") == 0)
			return 0;
		canonical = provider;
	}
	provider_slug(slug, sizeof(slug), canonical);
	if ((error = model_entity_set(entity, "provider", canonical)) < 0 ||
	    (error = model_inventory_make_id(&id, "provider", slug, slug)) < 0 ||
	    (error = model_inventory_add(&target, state->inv, NHI_KIND_PROVIDERS, id, canonical)) < 0)
		goto done;
	error = model_entity_link(entity, type, target->id);

done:
	free(id);
	return error;
}

const char *build_environment_of_path(const char *path)
{
	const char *starts[64];
	size_t lens[64];
	size_t count = split_name(path, starts, lens, 64);
	const char *found = NULL;

	/* The last word that names an environment wins: the file name is more specific than its folder. */
	for (size_t i = 0; i < count; i++) {
		for (size_t j = 0; j < sizeof(environment_words) / sizeof(environment_words[0]); j++) {
			const char *word = environment_words[j].word;

			if (strlen(word) == lens[i] && strncasecmp(starts[i], word, lens[i]) == 0)
				found = environment_words[j].environment;
		}
	}
	return found;
}

static bool is_variable_name(const char *start, size_t len)
{
	if (len < 2 || !(isupper((unsigned char)start[0]) || start[0] == '_'))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isupper((unsigned char)start[i]) && !isdigit((unsigned char)start[i]) && start[i] != '_')
			return false;
	return true;
}

/* Find the start of line (1-based) in data; NULL when data is shorter. */
static const char *find_line(const char *data, size_t len, size_t line, const char **end)
{
	const char *p = data, *limit = data + len;

	for (size_t n = 1; n < line; n++) {
		const char *nl = memchr(p, '\n', (size_t)(limit - p));

		if (!nl)
			return NULL;
		p = nl + 1;
	}
	*end = memchr(p, '\n', (size_t)(limit - p));
	if (!*end)
		*end = limit;
	return p;
}

/* The identifier that ends just before position i of line (after quotes, spaces and = or :). */
static bool name_before(const char *line, size_t i, const char **start, size_t *len)
{
	size_t end;

	while (i > 0 && (line[i - 1] == '"' || line[i - 1] == '\''))
		i--;
	while (i > 0 && (line[i - 1] == ' ' || line[i - 1] == '\t'))
		i--;
	if (i == 0 || (line[i - 1] != '=' && line[i - 1] != ':'))
		return false;
	i--;
	if (i > 0 && line[i] == '=' && line[i - 1] == ':')
		i--;
	while (i > 0 && (line[i - 1] == ' ' || line[i - 1] == '\t' || line[i - 1] == '"' || line[i - 1] == '\''))
		i--;
	end = i;
	while (i > 0 && (isalnum((unsigned char)line[i - 1]) || line[i - 1] == '_'))
		i--;
	*start = line + i;
	*len = end - i;
	return *len > 0;
}

/* A Kubernetes env entry names its variable on the line before `value:`: `- name: NAME`. */
static bool name_of_env_entry(const char *data, size_t len, size_t line, const char **start, size_t *name_len)
{
	const char *end, *p = line > 1 ? find_line(data, len, line - 1, &end) : NULL;

	if (!p)
		return false;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '-'))
		p++;
	if ((size_t)(end - p) < 5 || strncmp(p, "name:", 5) != 0)
		return false;
	p += 5;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '"' || *p == '\''))
		p++;
	*start = p;
	while (p < end && (isalnum((unsigned char)*p) || *p == '_'))
		p++;
	*name_len = (size_t)(p - *start);
	return *name_len > 0;
}

bool build_assignment_name(char *out, size_t size, const char *data, size_t len, size_t line, size_t column)
{
	const char *end, *text = find_line(data, len, line, &end);
	const char *start = NULL;
	size_t name_len = 0;

	if (!text || column == 0 || column - 1 > (size_t)(end - text))
		return false;
	if (!name_before(text, column - 1, &start, &name_len))
		return false;
	if (name_len == 5 && strncasecmp(start, "value", 5) == 0 &&
	    !name_of_env_entry(data, len, line, &start, &name_len))
		return false;
	if (!is_variable_name(start, name_len) || name_len + 1 > size)
		return false;
	memcpy(out, start, name_len);
	out[name_len] = '\0';
	return true;
}
