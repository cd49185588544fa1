/*
 * Delta searches against whole searches, with the built-in rules. A buffer built from pieces
 * of a base buffer and new text must give the same matches when searched whole as through
 * match_scan_delta() with the base's candidates, over chains of such buffers. The
 * texts mix source-like lines with the rules' own examples, cut and edited at random, so
 * every rule shape (PEM blocks, keywords, generic assignments, long tokens) meets edits
 * inside, beside and across it. A custom rule wider than the narrow tier, with no bounded
 * prefilter, puts the wide tier and its own database to the same test. The seed is printed
 * on failure.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config/rules.h"
#include "match/engine.h"
#include "util/buf.h"

#define TRIALS 60
#define CHAIN 4
#define MAX_SPANS 4096
/* The custom wide rule's token: a prefix and this many letters and digits. */
#define WIDE_TOKEN_LEN 800

struct fixture {
	struct nhi_rule_set rules;
	nhi_matcher *matcher;
	nhi_match_scratch *scratch;
	unsigned seed;
};

/* A buffer built from pieces, and the spans it copied from its base. */
struct version {
	struct nhi_buf text;
	struct nhi_copy_span spans[MAX_SPANS];
	size_t span_count;
	struct nhi_match_candidates candidates;
};

static const char *const filler[] = {
	"int main(void) {\n", "\treturn 0;\n", "}\n", "# a comment about the key rotation\n",
	"const token_length = 40;\n", "password_policy: strict\n", "  - name: build\n",
	"export PATH=/usr/bin\n", "curl -s https://example.invalid/health\n", "data:\n", "kind: ConfigMap\n",
	"authorization: required\n", "\n", "x = y.eyebrow_value_for_test\n", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\n",
};

static void random_alnum(char *out, size_t len)
{
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

	for (size_t i = 0; i < len; i++)
		out[i] = alphabet[rand() % 62];
	out[len] = '\0';
}

/* A rule as wide as a long token, whose derived prefilter has no bound. */
static void load_wide_rule(struct nhi_rule_set *rules)
{
	struct nhi_buf yaml = NHI_BUF_INIT;
	char token[WIDE_TOKEN_LEN + 1];
	struct nhi_rule_source source;

	random_alnum(token, WIDE_TOKEN_LEN);
	assert_int_equal(nhi_buf_printf(&yaml,
					"rules:\n"
					"  - id: test.wide.token\n"
					"    name: Wide test token\n"
					"    provider: Test\n"
					"    kind: api-key\n"
					"    pattern: '\\b(widetok_[A-Za-z0-9]{700,900})\\b'\n"
					"    docs: https://example.invalid/docs\n"
					"    remediation: Rotate it.\n"
					"    examples: ['k = widetok_%s']\n"
					"    negative: ['k = widetok_short']\n",
					token),
			 0);
	source = (struct nhi_rule_source){ "wide.yml", yaml.ptr, yaml.size };
	assert_int_equal(config_rules_load(rules, &source, false), 0);
	nhi_buf_dispose(&yaml);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct nhi_matcher_options options = { 0 };

	assert_non_null(f);
	f->seed = (unsigned)time(NULL);
	srand(f->seed);
	assert_int_equal(config_rules_load_builtin(&f->rules), 0);
	load_wide_rule(&f->rules);
	assert_int_equal(match_matcher_new(&f->matcher, &f->rules, &options), 0);
	assert_int_equal(match_scratch_new(&f->scratch, f->matcher), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	match_scratch_free(f->scratch);
	match_matcher_free(f->matcher);
	config_rules_dispose(&f->rules);
	free(f);
	return 0;
}

static void add_random_piece(struct nhi_buf *text, const struct nhi_rule_set *rules)
{
	if (rand() % 8 == 0) {
		char token[WIDE_TOKEN_LEN + 100 + 1];

		random_alnum(token, WIDE_TOKEN_LEN - 100 + (size_t)rand() % 200);
		assert_int_equal(nhi_buf_printf(text, "wide = widetok_%s\n", token), 0);
		return;
	}
	if (rand() % 3 == 0) {
		const struct nhi_rule *rule = &rules->rules[(size_t)rand() % rules->count];

		if (rule->example_count) {
			assert_int_equal(nhi_buf_puts(text, rule->examples[(size_t)rand() % rule->example_count]), 0);
			assert_int_equal(nhi_buf_puts(text, "\n"), 0);
			return;
		}
	}
	assert_int_equal(nhi_buf_puts(text, filler[(size_t)rand() % (sizeof(filler) / sizeof(filler[0]))]), 0);
}

static void make_base(struct version *v, const struct nhi_rule_set *rules)
{
	size_t pieces = 20 + (size_t)rand() % 200;

	for (size_t i = 0; i < pieces; i++)
		add_random_piece(&v->text, rules);
}

static void copy_piece(struct version *next, const struct version *base, size_t from, size_t len)
{
	if (len == 0)
		return;
	if (next->span_count < MAX_SPANS)
		next->spans[next->span_count++] = (struct nhi_copy_span){ next->text.size, from, len };
	else
		fail_msg("too many spans");
	assert_int_equal(nhi_buf_put(&next->text, base->text.ptr + from, len), 0);
}

/*
 * Build next from base: stretches of base copied in order, some skipped, with new text or single
 * changed bytes between them, and now and then a stretch copied from elsewhere in base.
 */
static void make_delta(struct version *next, const struct version *base, const struct nhi_rule_set *rules)
{
	size_t at = 0;

	while (at < base->text.size) {
		size_t len = 1 + (size_t)rand() % (base->text.size - at < 3000 ? base->text.size - at : 3000);

		copy_piece(next, base, at, len);
		at += len;
		switch (rand() % 6) {
		case 0:
			add_random_piece(&next->text, rules);
			break;
		case 1:
			assert_int_equal(nhi_buf_putc(&next->text, "x=\n\"'"[rand() % 5]), 0);
			break;
		case 2:
			at += (size_t)rand() % 200;
			break;
		case 3: {
			size_t from = (size_t)rand() % base->text.size;
			size_t n = (size_t)rand() % 500;

			copy_piece(next, base, from, from + n <= base->text.size ? n : base->text.size - from);
			break;
		}
		default:
			break;
		}
	}
}

static void scan_whole(struct fixture *f, const struct version *v, struct nhi_match_list *out,
		       struct nhi_match_candidates *keep)
{
	out->count = 0;
	assert_int_equal(match_scan_delta(f->matcher, f->scratch, v->text.ptr, v->text.size, NULL, keep, out), 0);
}

static void expect_same_matches(const struct fixture *f, const struct nhi_match_list *whole,
				const struct nhi_match_list *delta, size_t step)
{
	if (whole->count != delta->count)
		fail_msg("seed %u step %zu: %zu matches whole, %zu by delta", f->seed, step, whole->count, delta->count);
	for (size_t i = 0; i < whole->count; i++) {
		const struct nhi_match *a = &whole->items[i], *b = &delta->items[i];

		if (a->rule != b->rule || a->start != b->start || a->end != b->end ||
		    a->secret_start != b->secret_start || a->secret_end != b->secret_end)
			fail_msg("seed %u step %zu: match %zu differs: rule %s at %zu whole, rule %s at %zu by delta",
				 f->seed, step, i, f->rules.rules[a->rule].id, a->secret_start,
				 f->rules.rules[b->rule].id, b->secret_start);
	}
}

static void dispose_version(struct version *v)
{
	nhi_buf_dispose(&v->text);
	match_candidates_dispose(&v->candidates);
	memset(v, 0, sizeof(*v));
}

static void test_match_delta__chains_match_whole_search(void **state)
{
	struct fixture *f = *state;
	struct nhi_match_list whole = { 0 }, delta_matches = { 0 };
	size_t compared = 0, found = 0;

	for (size_t trial = 0; trial < TRIALS; trial++) {
		struct version *v = calloc(CHAIN + 1, sizeof(*v));

		assert_non_null(v);
		make_base(&v[0], &f->rules);
		scan_whole(f, &v[0], &whole, &v[0].candidates);
		for (size_t step = 1; step <= CHAIN; step++) {
			struct nhi_match_delta delta;

			make_delta(&v[step], &v[step - 1], &f->rules);
			delta.base = &v[step - 1].candidates;
			delta.copies = v[step].spans;
			delta.copy_count = v[step].span_count;
			delta_matches.count = 0;
			assert_int_equal(match_scan_delta(f->matcher, f->scratch, v[step].text.ptr, v[step].text.size,
							  &delta, &v[step].candidates, &delta_matches),
					 0);
			scan_whole(f, &v[step], &whole, NULL);
			expect_same_matches(f, &whole, &delta_matches, step);
			compared++;
			found += whole.count;
		}
		for (size_t step = 0; step <= CHAIN; step++)
			dispose_version(&v[step]);
		free(v);
	}
	/* The texts are built so that secrets occur: a run without any would test nothing. */
	assert_true(compared == TRIALS * CHAIN);
	assert_true(found > TRIALS);
	match_list_dispose(&whole);
	match_list_dispose(&delta_matches);
}

/* A delta whose base kept no candidates still finds a secret that it adds. */
static void test_match_delta__empty_base_then_secret(void **state)
{
	struct fixture *f = *state;
	struct nhi_match_list out = { 0 };
	struct version base = { 0 }, next = { 0 };
	struct nhi_match_delta delta;

	for (size_t i = 0; i < 400; i++)
		assert_int_equal(nhi_buf_puts(&base.text, "plain line of text\n"), 0);
	scan_whole(f, &base, &out, &base.candidates);
	assert_int_equal(out.count, 0);

	copy_piece(&next, &base, 0, base.text.size / 2);
	for (size_t i = 0; i < f->rules.count; i++) {
		if (strcmp(f->rules.rules[i].id, "aws.iam.access-key-id") == 0 && f->rules.rules[i].example_count) {
			assert_int_equal(nhi_buf_puts(&next.text, f->rules.rules[i].examples[0]), 0);
			break;
		}
	}
	assert_int_equal(nhi_buf_puts(&next.text, "\n"), 0);
	copy_piece(&next, &base, base.text.size / 2, base.text.size - base.text.size / 2);
	delta.base = &base.candidates;
	delta.copies = next.spans;
	delta.copy_count = next.span_count;
	assert_int_equal(match_scan_delta(f->matcher, f->scratch, next.text.ptr, next.text.size, &delta, NULL, &out), 0);
	assert_int_equal(out.count, 1);

	match_list_dispose(&out);
	dispose_version(&base);
	dispose_version(&next);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_match_delta__chains_match_whole_search, setup, teardown),
		cmocka_unit_test_setup_teardown(test_match_delta__empty_base_then_secret, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
