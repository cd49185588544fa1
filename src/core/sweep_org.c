/*
 * The organisation inventory, OUTPUT_DIR/org-inventory.yaml, built from the inventories that a
 * sweep wrote for its repositories. It has three sections:
 *
 *   repositories        every swept repository with its HEAD, status and counts, by key.
 *   reused_credentials  each credential (one fingerprint) found in two repositories or more,
 *                       with the places in each, the most widely shared first.
 *   identities          every identity with at least one risk, riskiest first. A credential is
 *                       listed once for all the repositories it is in. Any other entity is
 *                       listed once per repository, because an id such as a workflow's path
 *                       means different things in different repositories.
 *
 * Riskiest means the highest risk score (as src/risk scored it in the repository), then the
 * most repositories, then the highest sum of risk scores. The file is written with libyaml and
 * depends only on the state entries and the inventories, so equal inputs give equal bytes.
 */
#include "core/sweep_private.h"
#include "model/inventory.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

/* The schema version of the organisation inventory. */
#define ORG_SCHEMA 1

/* NOTE: a repository inventory larger than this is reported as unreadable; real ones are KBs. */
#define MAX_INVENTORY_SIZE ((size_t)256 << 20)

/* One risk of an identity, in the repository where it was scored. */
struct org_risk {
	const char *repository;
	const struct nhi_inv_risk *risk;
};

/* One credential or other identity across the organisation; its strings belong to the inventories. */
struct org_identity {
	const char *id;
	const char *kind;
	const char *name;
	const char *fingerprint;  /* credentials only */
	const char *provider;
	const char *redacted;
	struct nhi_vec places;    /* struct org_place *: one per repository, in repository order */
	struct nhi_vec risks;     /* struct org_risk * */
	int max_score;
	int total_score;
};

/* The place of an identity in one repository. */
struct org_place {
	const char *repository;
	const struct nhi_inv_entity *entity;
};

/* One repository's line in the repositories section and its loaded inventory. */
struct org_repo {
	const struct sweep_state_entry *entry;
	struct nhi_inventory inventory;
	bool loaded;
	char *problem;            /* why the inventory could not be read, or NULL */
	size_t credentials;
	size_t risks;
	int max_score;
};

struct org {
	struct org_repo *repos;
	size_t repo_count;
	struct nhi_vec identities;      /* struct org_identity * */
	struct model_idmap credentials; /* credential id -> struct org_identity * */
};

static void free_identity(void *item)
{
	struct org_identity *identity = item;

	nhi_vec_dispose_all(&identity->places, NULL);
	nhi_vec_dispose_all(&identity->risks, NULL);
	free(identity);
}

static void dispose_org(struct org *org)
{
	for (size_t i = 0; i < org->repo_count; i++) {
		if (org->repos[i].loaded)
			model_inventory_dispose(&org->repos[i].inventory);
		free(org->repos[i].problem);
	}
	free(org->repos);
	nhi_vec_dispose_all(&org->identities, free_identity);
	model_idmap_dispose(&org->credentials);
}

/*
 * Load the inventory of one repository. A file that cannot be read or parsed marks the
 * repository as unreadable and the organisation inventory goes on without it.
 */
static int load_repo(struct org_repo *repo, const char *output_dir)
{
	struct nhi_buf label = NHI_BUF_INIT;
	char *path = NULL;
	char *data = NULL;
	size_t len = 0;
	int error;

	/* Messages name the file relative to the output folder, so they are the same in every copy. */
	if ((error = nhi_buf_printf(&label, "repos/%s/%s", repo->entry->id, NHI_SWEEP_INVENTORY_FILE)) < 0)
		goto done;
	if (!(path = nhi_path_join(output_dir, label.ptr))) {
		error = nhi_error_set(NHI_ENOMEM, "out of memory");
		goto done;
	}
	model_inventory_init(&repo->inventory);
	repo->loaded = true;
	error = nhi_fs_read_file(&data, &len, path, MAX_INVENTORY_SIZE);
	if (error == 0)
		error = model_inventory_load(&repo->inventory, label.ptr, data, len);
	if (error == NHI_ENOMEM)
		goto done;
	if (error < 0) {
		error = 0;
		if (!(repo->problem = strdup(nhi_error_last())))
			error = nhi_error_set(NHI_ENOMEM, "out of memory");
	}

done:
	free(data);
	free(path);
	nhi_buf_dispose(&label);
	return error;
}

static int new_identity(struct org_identity **out, const struct nhi_inv_entity *entity)
{
	struct org_identity *identity = calloc(1, sizeof(*identity));

	if (!identity)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	identity->id = entity->id;
	identity->kind = entity->kind;
	identity->name = entity->name;
	identity->fingerprint = model_entity_get(entity, "fingerprint");
	identity->provider = model_entity_get(entity, "provider");
	identity->redacted = model_entity_get(entity, "redacted");
	*out = identity;
	return 0;
}

/* Add one repository's entity to its identity: a credential shared by id, others on their own. */
static int add_entity(struct org *org, const char *repository, const struct nhi_inv_entity *entity)
{
	bool credential = strcmp(entity->kind, NHI_KIND_CREDENTIALS) == 0;
	struct org_identity *identity = NULL;
	struct org_place *place = NULL;
	int error = 0;

	if (credential)
		identity = model_idmap_get(&org->credentials, entity->id, strlen(entity->id));
	if (!identity) {
		if ((error = new_identity(&identity, entity)) < 0)
			return error;
		if ((error = nhi_vec_push(&org->identities, identity)) < 0) {
			free_identity(identity);
			return error;
		}
		if (credential && (error = model_idmap_put(&org->credentials, entity->id, strlen(entity->id), identity)) < 0)
			return error;
	}

	if (!(place = malloc(sizeof(*place))))
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	place->repository = repository;
	place->entity = entity;
	if ((error = nhi_vec_push(&identity->places, place)) < 0) {
		free(place);
		return error;
	}

	for (size_t i = 0; i < entity->risks.count; i++) {
		const struct nhi_inv_risk *risk = entity->risks.items[i];
		struct org_risk *item = malloc(sizeof(*item));

		if (!item)
			return nhi_error_set(NHI_ENOMEM, "out of memory");
		item->repository = repository;
		item->risk = risk;
		if ((error = nhi_vec_push(&identity->risks, item)) < 0) {
			free(item);
			return error;
		}
		identity->total_score += risk->score;
		if (risk->score > identity->max_score)
			identity->max_score = risk->score;
	}
	return 0;
}

/* Count one repository's credentials and risks and add its entities to the identities. */
static int collect_repo(struct org *org, struct org_repo *repo)
{
	const struct nhi_vec *entities = &repo->inventory.entities;
	int error = 0;

	for (size_t i = 0; i < entities->count && error == 0; i++) {
		const struct nhi_inv_entity *entity = entities->items[i];

		if (strcmp(entity->kind, NHI_KIND_CREDENTIALS) == 0)
			repo->credentials++;
		repo->risks += entity->risks.count;
		for (size_t j = 0; j < entity->risks.count; j++) {
			const struct nhi_inv_risk *risk = entity->risks.items[j];

			if (risk->score > repo->max_score)
				repo->max_score = risk->score;
		}
		error = add_entity(org, repo->entry->key, entity);
	}
	return error;
}

static int build_org(struct org *org, const char *output_dir, const struct sweep_state *state)
{
	int error = 0;

	org->repo_count = state->entries.count;
	if (org->repo_count && !(org->repos = calloc(org->repo_count, sizeof(*org->repos))))
		return nhi_error_set(NHI_ENOMEM, "out of memory");

	/* The state is sorted by key, so places and risks come in repository order. */
	for (size_t i = 0; i < org->repo_count && error == 0; i++) {
		struct org_repo *repo = &org->repos[i];

		repo->entry = state->entries.items[i];
		if (strcmp(repo->entry->status, SWEEP_STATUS_OK) != 0)
			continue;
		if ((error = load_repo(repo, output_dir)) < 0 || repo->problem)
			continue;
		error = collect_repo(org, repo);
	}
	return error;
}

static int compare_riskiest(const void *a, const void *b)
{
	const struct org_identity *x = *(const struct org_identity *const *)a;
	const struct org_identity *y = *(const struct org_identity *const *)b;
	int cmp;

	if (x->max_score != y->max_score)
		return x->max_score > y->max_score ? -1 : 1;
	if (x->places.count != y->places.count)
		return x->places.count > y->places.count ? -1 : 1;
	if (x->total_score != y->total_score)
		return x->total_score > y->total_score ? -1 : 1;
	if ((cmp = strcmp(x->kind, y->kind)) != 0)
		return cmp;
	if ((cmp = strcmp(x->id, y->id)) != 0)
		return cmp;
	/* Two non-credential identities with one id are in different repositories. */
	return strcmp(((const struct org_place *)x->places.items[0])->repository,
		      ((const struct org_place *)y->places.items[0])->repository);
}

/* A YAML writer over libyaml's emitter, into a buffer. */
struct writer {
	yaml_emitter_t emitter;
	struct nhi_buf *out;
	int error;
};

static int write_to_buffer(void *payload, unsigned char *data, size_t size)
{
	struct writer *writer = payload;

	if (nhi_buf_put(writer->out, data, size) < 0) {
		writer->error = NHI_ENOMEM;
		return 0;
	}
	return 1;
}

static void emit(struct writer *writer, yaml_event_t *event)
{
	if (writer->error == 0 && !yaml_emitter_emit(&writer->emitter, event))
		writer->error = nhi_error_set(NHI_ERROR, "cannot write the organisation inventory: %s",
					      writer->emitter.problem ? writer->emitter.problem : "libyaml error");
}

/*
 * Return true when text is empty or would read back as a number, a boolean or null from a plain
 * scalar under YAML 1.1 or 1.2. Such values are written in quotes.
 */
static bool needs_quotes(const char *text)
{
	static const char *const words[] = { "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~" };

	if (!*text || strchr("0123456789+-.", text[0]))
		return true;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasecmp(text, words[i]) == 0)
			return true;
	return false;
}

static void emit_string(struct writer *writer, const char *text)
{
	yaml_event_t event;
	const char *value = text ? text : "";

	yaml_scalar_event_initialize(&event, NULL, (yaml_char_t *)YAML_STR_TAG, (yaml_char_t *)value,
				     (int)strlen(value), !needs_quotes(value), 1, YAML_ANY_SCALAR_STYLE);
	emit(writer, &event);
}

static void emit_number(struct writer *writer, long long number)
{
	char text[32];
	yaml_event_t event;

	snprintf(text, sizeof(text), "%lld", number);
	yaml_scalar_event_initialize(&event, NULL, (yaml_char_t *)YAML_INT_TAG, (yaml_char_t *)text,
				     (int)strlen(text), 1, 0, YAML_PLAIN_SCALAR_STYLE);
	emit(writer, &event);
}

static void begin_mapping(struct writer *writer)
{
	yaml_event_t event;

	yaml_mapping_start_event_initialize(&event, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
	emit(writer, &event);
}

static void end_mapping(struct writer *writer)
{
	yaml_event_t event;

	yaml_mapping_end_event_initialize(&event);
	emit(writer, &event);
}

static void begin_sequence(struct writer *writer)
{
	yaml_event_t event;

	yaml_sequence_start_event_initialize(&event, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
	emit(writer, &event);
}

static void end_sequence(struct writer *writer)
{
	yaml_event_t event;

	yaml_sequence_end_event_initialize(&event);
	emit(writer, &event);
}

/* Emit "key: value", leaving out a NULL value. */
static void emit_field(struct writer *writer, const char *key, const char *value)
{
	if (!value)
		return;
	emit_string(writer, key);
	emit_string(writer, value);
}

static void emit_count(struct writer *writer, const char *key, long long value)
{
	emit_string(writer, key);
	emit_number(writer, value);
}

static void emit_repositories(struct writer *writer, const struct org *org)
{
	emit_string(writer, "repositories");
	begin_sequence(writer);
	for (size_t i = 0; i < org->repo_count; i++) {
		const struct org_repo *repo = &org->repos[i];
		bool ok = strcmp(repo->entry->status, SWEEP_STATUS_OK) == 0 && !repo->problem;
		const char *status = "swept";

		if (repo->problem)
			status = "unreadable";
		else if (!ok)
			status = "failed";
		begin_mapping(writer);
		emit_field(writer, "repository", repo->entry->key);
		emit_field(writer, "id", repo->entry->id);
		emit_field(writer, "head", repo->entry->head);
		emit_field(writer, "status", status);
		emit_field(writer, "problem", repo->problem);
		if (ok) {
			emit_count(writer, "entities", (long long)repo->inventory.entities.count);
			emit_count(writer, "credentials", (long long)repo->credentials);
			emit_count(writer, "risks", (long long)repo->risks);
			emit_count(writer, "max_score", repo->max_score);
		}
		end_mapping(writer);
	}
	end_sequence(writer);
}

static void emit_locations(struct writer *writer, const struct nhi_inv_entity *entity)
{
	emit_string(writer, "locations");
	begin_sequence(writer);
	for (size_t i = 0; i < entity->locations.count; i++)
		emit_string(writer, entity->locations.items[i]);
	end_sequence(writer);
}

static void emit_reused(struct writer *writer, const struct nhi_vec *reused)
{
	emit_string(writer, "reused_credentials");
	begin_sequence(writer);
	for (size_t i = 0; i < reused->count; i++) {
		const struct org_identity *identity = reused->items[i];

		begin_mapping(writer);
		emit_field(writer, "id", identity->id);
		emit_field(writer, "fingerprint", identity->fingerprint);
		emit_field(writer, "provider", identity->provider);
		emit_field(writer, "redacted", identity->redacted);
		emit_count(writer, "repository_count", (long long)identity->places.count);
		emit_count(writer, "max_score", identity->max_score);
		emit_string(writer, "repositories");
		begin_sequence(writer);
		for (size_t j = 0; j < identity->places.count; j++) {
			const struct org_place *place = identity->places.items[j];

			begin_mapping(writer);
			emit_field(writer, "repository", place->repository);
			emit_locations(writer, place->entity);
			end_mapping(writer);
		}
		end_sequence(writer);
		end_mapping(writer);
	}
	end_sequence(writer);
}

static void emit_risk(struct writer *writer, const struct org_risk *item)
{
	begin_mapping(writer);
	emit_field(writer, "repository", item->repository);
	emit_field(writer, "id", item->risk->id);
	emit_field(writer, "category", item->risk->category);
	emit_field(writer, "title", item->risk->title);
	emit_count(writer, "score", item->risk->score);
	emit_field(writer, "status", item->risk->status);
	end_mapping(writer);
}

static void emit_identities(struct writer *writer, const struct nhi_vec *riskiest)
{
	emit_string(writer, "identities");
	begin_sequence(writer);
	for (size_t i = 0; i < riskiest->count; i++) {
		const struct org_identity *identity = riskiest->items[i];

		begin_mapping(writer);
		emit_field(writer, "id", identity->id);
		emit_field(writer, "kind", identity->kind);
		emit_field(writer, "name", identity->name);
		emit_field(writer, "provider", identity->provider);
		emit_count(writer, "score", identity->max_score);
		emit_string(writer, "repositories");
		begin_sequence(writer);
		for (size_t j = 0; j < identity->places.count; j++)
			emit_string(writer, ((const struct org_place *)identity->places.items[j])->repository);
		end_sequence(writer);
		emit_string(writer, "risks");
		begin_sequence(writer);
		for (size_t j = 0; j < identity->risks.count; j++)
			emit_risk(writer, identity->risks.items[j]);
		end_sequence(writer);
		end_mapping(writer);
	}
	end_sequence(writer);
}

static void emit_document(struct writer *writer, const struct org *org, const struct nhi_vec *reused,
			  const struct nhi_vec *riskiest)
{
	yaml_event_t event;

	yaml_stream_start_event_initialize(&event, YAML_UTF8_ENCODING);
	emit(writer, &event);
	yaml_document_start_event_initialize(&event, NULL, NULL, NULL, 1);
	emit(writer, &event);
	begin_mapping(writer);
	emit_string(writer, "schema");
	emit_number(writer, ORG_SCHEMA);
	emit_field(writer, "kind", "organisation");
	emit_repositories(writer, org);
	emit_reused(writer, reused);
	emit_identities(writer, riskiest);
	end_mapping(writer);
	yaml_document_end_event_initialize(&event, 1);
	emit(writer, &event);
	yaml_stream_end_event_initialize(&event);
	emit(writer, &event);
}

static int compare_reused(const void *a, const void *b)
{
	const struct org_identity *x = *(const struct org_identity *const *)a;
	const struct org_identity *y = *(const struct org_identity *const *)b;

	if (x->places.count != y->places.count)
		return x->places.count > y->places.count ? -1 : 1;
	if (x->max_score != y->max_score)
		return x->max_score > y->max_score ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* Fill reused with the credentials of two repositories or more, riskiest with identities that have a risk. */
static int select_identities(struct nhi_vec *reused, struct nhi_vec *riskiest, const struct org *org)
{
	int error = 0;

	for (size_t i = 0; i < org->identities.count && error == 0; i++) {
		struct org_identity *identity = org->identities.items[i];

		if (strcmp(identity->kind, NHI_KIND_CREDENTIALS) == 0 && identity->places.count > 1)
			error = nhi_vec_push(reused, identity);
		if (error == 0 && identity->risks.count > 0)
			error = nhi_vec_push(riskiest, identity);
	}
	nhi_vec_sort(reused, compare_reused);
	nhi_vec_sort(riskiest, compare_riskiest);
	return error;
}

int sweep_org_write(size_t *reused_count, const char *output_dir, const struct sweep_state *state)
{
	struct org org = { NULL, 0, NHI_VEC_INIT, MODEL_IDMAP_INIT };
	struct nhi_vec reused = NHI_VEC_INIT;
	struct nhi_vec riskiest = NHI_VEC_INIT;
	struct nhi_buf out = NHI_BUF_INIT;
	struct writer writer = { .out = &out };
	char *path = NULL;
	int error;

	if ((error = build_org(&org, output_dir, state)) < 0 ||
	    (error = select_identities(&reused, &riskiest, &org)) < 0)
		goto done;

	if ((error = nhi_buf_puts(&out, "# nhiscan organisation inventory: the repositories of a sweep, the credentials\n"
					"# they share, and their identities with risks, riskiest first.\n")) < 0)
		goto done;
	if (!yaml_emitter_initialize(&writer.emitter)) {
		error = nhi_error_set(NHI_ENOMEM, "out of memory");
		goto done;
	}
	yaml_emitter_set_output(&writer.emitter, write_to_buffer, &writer);
	yaml_emitter_set_unicode(&writer.emitter, 1);
	/* No line folding: one value per line keeps diffs between two sweeps small. */
	yaml_emitter_set_width(&writer.emitter, -1);
	emit_document(&writer, &org, &reused, &riskiest);
	yaml_emitter_delete(&writer.emitter);
	if ((error = writer.error) < 0)
		goto done;

	if (!(path = nhi_path_join(output_dir, NHI_SWEEP_ORG_FILE))) {
		error = nhi_error_set(NHI_ENOMEM, "out of memory");
		goto done;
	}
	if ((error = nhi_fs_write_atomic(path, out.ptr, out.size)) < 0)
		goto done;
	*reused_count = reused.count;

done:
	free(path);
	nhi_buf_dispose(&out);
	nhi_vec_dispose(&reused);
	nhi_vec_dispose(&riskiest);
	dispose_org(&org);
	return error;
}
