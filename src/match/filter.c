/*
 * Placeholder, entropy, keyword, allow-comment and checksum checks; see filter.h.
 */
#include "match/filter.h"
#include "util/hash.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <string.h>


/* Find needle (already lower case) in haystack without regard to case. */
static const char *find_nocase(const char *haystack, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	if (n == 0 || n > len)
		return NULL;
	for (size_t i = 0; i + n <= len; i++) {
		size_t j = 0;

		while (j < n && tolower((unsigned char)haystack[i + j]) == needle[j])
			j++;
		if (j == n)
			return haystack + i;
	}
	return NULL;
}

/* Words that mark a value as an example; each is long enough not to occur in random tokens. */
static const char *const placeholder_words[] = {
	"example", "xxxx", "****", "your-", "your_", "yourapi", "yourkey", "yourtoken", "yoursecret",
	"yourpass", "-here", "_here", "placeholder", "changeme", "change_me", "change-me", "replace_",
	"replace-", "replaceme", "dummy", "redacted", "insert_", "insert-", "1234567890", "abcdefghij",
	"${", "$(", "{{", "%(", "#{", NULL,
};

/*
 * A run of one character over a third of the value (and at least 8 long) marks filler such as
 * "00000000" or "--------". Shorter runs occur in real formats: Twitter bearer tokens start with
 * 21 'A's followed by about 90 random characters.
 */
static bool has_long_run(const char *value, size_t len)
{
	size_t run = 1;
	size_t limit = len / 3 > 8 ? len / 3 : 8;

	for (size_t i = 1; i < len; i++) {
		run = value[i] == value[i - 1] ? run + 1 : 1;
		if (run >= limit)
			return true;
	}
	return false;
}

/* $VAR or %VAR% as the whole value: a reference to a variable, not the secret itself. */
static bool is_variable_reference(const char *value, size_t len)
{
	size_t i = 0;

	if (len >= 2 && value[0] == '%' && value[len - 1] == '%')
		return true;
	if (len < 2 || value[0] != '$')
		return false;
	for (i = 1; i < len; i++)
		if (!(isalnum((unsigned char)value[i]) || value[i] == '_'))
			return false;
	return true;
}

/* <token> or <your key>: an angle-bracket slot, which real tokens never contain. */
static bool has_angle_slot(const char *value, size_t len)
{
	const char *open = memchr(value, '<', len);

	return open && memchr(open, '>', len - (size_t)(open - value)) != NULL;
}

/*
 * SHA-256 of credentials that vendors publish in their documentation or tools, so they are public
 * and worthless: the Azurite storage emulator's account key, Stripe's documented test secret key
 * and the sample bot token of Telegram's Bot API page. Hashes keep the values out of this file.
 */
static const char *const published_value_hashes[] = {
	"0011cc25eb4320717494d2703e8cba85743e71b500283c21c8b88147992f9059",
	"2cafc0970149a84f3b9e62eaf169f36f59907a3b3e31f7b82e68c69cd27f7326",
	"731fa294d036e54f19df879bfcd4fe72d967dc6327800c5f74a48414a3f258c9",
	NULL,
};

static bool is_published_value(const char *value, size_t len)
{
	unsigned char digest[32];
	char hex[65];

	nhi_sha256(digest, value, len);
	nhi_hex_encode(hex, digest, 32);
	for (int i = 0; published_value_hashes[i]; i++)
		if (strcmp(hex, published_value_hashes[i]) == 0)
			return true;
	return false;
}

bool match_is_placeholder(const char *value, size_t len)
{
	if (len == 0 || has_angle_slot(value, len) || is_published_value(value, len))
		return true;
	for (int i = 0; placeholder_words[i]; i++)
		if (find_nocase(value, len, placeholder_words[i]))
			return true;
	return has_long_run(value, len) || is_variable_reference(value, len);
}

double match_entropy(const char *value, size_t len)
{
	size_t counts[256] = { 0 };
	double entropy = 0;

	if (len == 0)
		return 0;
	for (size_t i = 0; i < len; i++)
		counts[(unsigned char)value[i]]++;
	for (int c = 0; c < 256; c++) {
		if (!counts[c])
			continue;
		double p = (double)counts[c] / (double)len;

		entropy -= p * log2(p);
	}
	return entropy;
}

bool match_has_keyword(const struct nhi_rule *rule, const char *data, size_t from, size_t to)
{
	size_t start = from > MATCH_KEYWORD_WINDOW ? from - MATCH_KEYWORD_WINDOW : 0;

	if (rule->keyword_count == 0)
		return true;
	for (size_t i = 0; i < rule->keyword_count; i++)
		if (find_nocase(data + start, to - start, rule->keywords[i]))
			return true;
	return false;
}

bool match_line_is_allowed(const char *data, size_t len, size_t offset)
{
	size_t start = offset, end = offset;

	while (start > 0 && data[start - 1] != '\n')
		start--;
	while (end < len && data[end] != '\n')
		end++;
	return find_nocase(data + start, end - start, NHI_ALLOW_COMMENT) != NULL;
}

static const char base62_digits[] =
	"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/* The last six characters encode the CRC32 of the characters between the last '_' and them. */
static int validate_crc32_base62(const char *value, size_t len)
{
	const char *underscore = NULL;
	char expected[7];
	uint32_t crc;
	size_t body_len;

	for (size_t i = 0; i < len; i++)
		if (value[i] == '_')
			underscore = value + i;
	if (!underscore)
		return 0;

	body_len = len - (size_t)(underscore + 1 - value);
	if (body_len < 7)
		return 0;

	crc = nhi_crc32(underscore + 1, body_len - 6);
	for (int i = 5; i >= 0; i--) {
		expected[i] = base62_digits[crc % 62];
		crc /= 62;
	}
	expected[6] = '\0';
	return memcmp(expected, value + len - 6, 6) == 0;
}

static int decode_base64url_char(char c)
{
	if (c >= 'A' && c <= 'Z') return c - 'A';
	if (c >= 'a' && c <= 'z') return c - 'a' + 26;
	if (c >= '0' && c <= '9') return c - '0' + 52;
	if (c == '-' || c == '+') return 62;
	if (c == '_' || c == '/') return 63;
	return -1;
}

/* A JWT header is base64url JSON: it must decode to an object that names its "alg". */
static int validate_jwt(const char *value, size_t len)
{
	char header[512];
	size_t out = 0;
	uint32_t bits = 0;
	int nbits = 0;

	for (size_t i = 0; i < len && value[i] != '.' && out < sizeof(header) - 1; i++) {
		int d = decode_base64url_char(value[i]);

		if (d < 0)
			return value[i] == '=' ? 1 : 0;
		bits = (bits << 6) | (uint32_t)d;
		nbits += 6;
		if (nbits >= 8) {
			nbits -= 8;
			header[out++] = (char)((bits >> nbits) & 0xff);
		}
	}
	header[out] = '\0';
	return header[0] == '{' && strstr(header, "\"alg\"") != NULL;
}

int match_validate(enum nhi_validator validator, const char *value, size_t len)
{
	switch (validator) {
	case NHI_VALIDATOR_CRC32_BASE62:
		return validate_crc32_base62(value, len);
	case NHI_VALIDATOR_JWT:
		return validate_jwt(value, len);
	default:
		return 1;
	}
}
