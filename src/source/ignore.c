/*
 * gitignore matcher: reading rule files, compiling their lines into rules, glob matching, and the
 * stack of rule files that follows the walk. See ignore.h for the contract with the walker.
 *
 * Each rule file that has at least one rule becomes a frame: the file's bytes, which the patterns
 * are cut out of in place, and the compiled rules in file order. A frame records the walk depth it
 * was pushed at, so a folder without a .gitignore costs no frame and popping stays paired with
 * pushing even when a load failed. Lookups scan frames from the top of the stack down and each
 * frame's rules from last to first, so the first match found is the one git would apply.
 *
 * NOTE: core.excludesFile (by default ~/.config/git/ignore) and every other git setting are not
 * read, because the scanned repository is untrusted and its config could point anywhere. So the
 * user's global excludes are not applied, and matching stays case-sensitive whatever
 * core.ignoreCase is set to.
 */
#include "source/ignore.h"

#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Maximum size of one rule file. Git has no such limit, but a hostile repository could otherwise
 * make every folder cost gigabytes. Hand-written .gitignore files are a few KiB, and 4 MiB is an
 * estimate that leaves room for generated ones. A larger file is not applied, so the files it
 * lists get scanned.
 */
#define RULE_FILE_MAX_BYTES ((size_t)4 << 20)

/* First size of a frame's rule array, which doubles as needed. */
#define RULE_ARRAY_INITIAL 16

enum rule_kind {
	RULE_LITERAL, /* no wildcard: the text must equal the unescaped pattern */
	RULE_SUFFIX,  /* basename pattern "*" + literal, such as "*.log": compare the end */
	RULE_GLOB,    /* anything else: run match_glob() */
};

enum rule_flag {
	RULE_NEGATED = 1 << 0,  /* "!pattern": a match re-includes the path */
	RULE_DIR_ONLY = 1 << 1, /* "pattern/": matches folders only */
	RULE_BASENAME = 1 << 2, /* no '/' in the pattern: matched against the last path component */
};

struct ignore_rule {
	const char *pattern;  /* NUL-terminated; unescaped for RULE_LITERAL and RULE_SUFFIX */
	size_t length;
	size_t prefix_length; /* RULE_GLOB: bytes before the first '*', '?', '[' or '\\' */
	enum rule_kind kind;
	unsigned flags;       /* enum rule_flag */
};

struct ignore_frame {
	char *base;           /* folder of the rule file relative to root, "" for the root */
	size_t base_length;
	char *text;           /* the file's bytes; the patterns point into this buffer */
	struct ignore_rule *rules;
	size_t rule_count;
	size_t rule_capacity;
	size_t depth;         /* walk depth at which the frame was loaded, 0 for the root */
};

struct ignore_stack {
	char *root;           /* without trailing '/' */
	struct ignore_frame *frames;
	size_t frame_count;
	size_t frame_capacity;
	size_t depth;         /* folders pushed and not yet popped */
};

/* The tail of a NUL-terminated path: it ends where the path ends, and length spares strlen(). */
struct text_view {
	const char *bytes;
	size_t length;
};

enum glob_result {
	GLOB_MATCH,
	GLOB_NO_MATCH,
	GLOB_INVALID, /* unterminated bracket, unknown class or dangling '\\', which never match */
};

/* ---- glob matching --------------------------------------------------------------------- */

static bool equals_name(const char *name, size_t length, const char *expected)
{
	return strlen(expected) == length && memcmp(name, expected, length) == 0;
}

/*
 * Test c against the POSIX class named by name (the text between "[:" and ":]"). Classes are
 * ASCII-only, like git's own ctype, so the result does not depend on the locale.
 * Returns 1 or 0, or -1 for an unknown class name.
 */
static int test_char_class(const char *name, size_t length, unsigned char c)
{
	bool upper = c >= 'A' && c <= 'Z';
	bool lower = c >= 'a' && c <= 'z';
	bool digit = c >= '0' && c <= '9';
	bool graph = c > ' ' && c < 0x7f;

	if (equals_name(name, length, "alnum"))
		return upper || lower || digit;
	if (equals_name(name, length, "alpha"))
		return upper || lower;
	if (equals_name(name, length, "blank"))
		return c == ' ' || c == '\t';
	if (equals_name(name, length, "cntrl"))
		return c < ' ' || c == 0x7f;
	if (equals_name(name, length, "digit"))
		return digit;
	if (equals_name(name, length, "graph"))
		return graph;
	if (equals_name(name, length, "lower"))
		return lower;
	if (equals_name(name, length, "print"))
		return graph || c == ' ';
	if (equals_name(name, length, "punct"))
		return graph && !upper && !lower && !digit;
	if (equals_name(name, length, "space"))
		return c == ' ' || (c >= '\t' && c <= '\r');
	if (equals_name(name, length, "upper"))
		return upper;
	if (equals_name(name, length, "xdigit"))
		return digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
	return -1;
}

/*
 * Read one member byte of a bracket expression at *p, where '\\' escapes the next byte, and move
 * *p past it. Returns false on a dangling '\\'.
 */
static bool read_bracket_byte(const char **p, unsigned char *out)
{
	if (**p == '\\')
		(*p)++;
	if (**p == '\0')
		return false;
	*out = (unsigned char)**p;
	(*p)++;
	return true;
}

/*
 * Match c against a "[:name:]" member at *p and move *p past it. As in git, "[:" without a ":]"
 * before the next ']' is no class: then *is_class is false and the caller reads '[' as a byte.
 */
static enum glob_result match_class_member(const char **p, unsigned char c, bool *is_class)
{
	const char *name = *p + 2;
	const char *close = strchr(name, ']');
	int result;

	*is_class = false;
	if (!close)
		return GLOB_INVALID;
	if (close == name || close[-1] != ':')
		return GLOB_NO_MATCH;

	*is_class = true;
	result = test_char_class(name, (size_t)(close - 1 - name), c);
	if (result < 0)
		return GLOB_INVALID;
	*p = close + 1;
	return result ? GLOB_MATCH : GLOB_NO_MATCH;
}

/*
 * Match c against the bracket expression that starts after the '[' at *p and move *p past its
 * closing ']'. A leading '!' or '^' negates it, a ']' right after the opening is a member, "a-z"
 * is a range of byte values, and no bracket expression matches '/'.
 */
static enum glob_result match_bracket(const char **p, unsigned char c)
{
	const char *member = *p;
	bool negated = false;
	bool matched = false;

	if (*member == '!' || *member == '^') {
		negated = true;
		member++;
	}
	do {
		unsigned char low;
		unsigned char high;
		bool is_class;

		if (*member == '\0')
			return GLOB_INVALID;
		if (member[0] == '[' && member[1] == ':') {
			enum glob_result class_result = match_class_member(&member, c, &is_class);

			if (class_result == GLOB_INVALID)
				return GLOB_INVALID;
			if (is_class) {
				matched = matched || class_result == GLOB_MATCH;
				continue;
			}
		}
		if (!read_bracket_byte(&member, &low))
			return GLOB_INVALID;
		high = low;
		if (member[0] == '-' && member[1] != ']' && member[1] != '\0') {
			member++;
			if (!read_bracket_byte(&member, &high))
				return GLOB_INVALID;
		}
		matched = matched || (c >= low && c <= high);
	} while (*member != ']');

	*p = member + 1;
	if (c == '/')
		return GLOB_NO_MATCH;
	return matched != negated ? GLOB_MATCH : GLOB_NO_MATCH;
}

/* Match c against the one-byte token at *p ('?', a bracket expression, "\\x" or a byte). */
static enum glob_result match_token(const char **p, unsigned char c)
{
	switch (**p) {
	case '?':
		(*p)++;
		return c != '/' ? GLOB_MATCH : GLOB_NO_MATCH;
	case '[':
		(*p)++;
		return match_bracket(p, c);
	case '\\':
		(*p)++;
		if (**p == '\0')
			return GLOB_INVALID;
		break;
	default:
		break;
	}
	return (unsigned char)*(*p)++ == c ? GLOB_MATCH : GLOB_NO_MATCH;
}

/*
 * Match text against pattern. '*', '?' and brackets never match '/'. A "**" that
 * is a whole component matches any number of components: "**" + "/" matches zero or more leading
 * folders and a final "/" + "**" matches everything below. Any other "**" acts as '*'.
 *
 * Backtracking keeps only the last '*' of the current component and the last "**", so the work
 * stays near strlen(pattern) * strlen(text) even for hostile patterns. One of each is enough.
 * A later '*' can take whatever an earlier '*' of the same component could, and an earlier '*'
 * cannot move once a '/' after it has matched. A later "**" can take whole components in place
 * of an earlier one.
 */
static bool match_glob(const char *pattern, const char *text)
{
	const char *p = pattern;
	const char *star_pattern = NULL;
	const char *star_text = NULL;
	const char *globstar_pattern = NULL;
	const char *globstar_text = NULL;

	for (;;) {
		if (*p == '*') {
			const char *after = p;

			while (*after == '*')
				after++;
			if (after - p >= 2 && (p == pattern || p[-1] == '/')) {
				if (*after == '\0')
					return true;
				if (*after == '/') {
					globstar_pattern = after + 1;
					globstar_text = text;
					star_pattern = NULL;
					p = globstar_pattern;
					continue;
				}
			}
			star_pattern = after;
			star_text = text;
			p = after;
			continue;
		}

		if (*p == '\0' && *text == '\0')
			return true;
		if (*p != '\0' && *text != '\0') {
			const char *next = p;
			enum glob_result result = match_token(&next, (unsigned char)*text);

			if (result == GLOB_INVALID)
				return false;
			if (result == GLOB_MATCH) {
				if (*text == '/')
					star_pattern = NULL;
				p = next;
				text++;
				continue;
			}
		}

		/* Mismatch: give the last '*' one more byte, else the last "**" one more folder. */
		if (star_pattern && *star_text != '\0' && *star_text != '/') {
			star_text++;
			p = star_pattern;
			text = star_text;
			continue;
		}
		if (!globstar_pattern)
			return false;
		globstar_text = strchr(globstar_text, '/');
		if (!globstar_text)
			return false;
		globstar_text++;
		p = globstar_pattern;
		text = globstar_text;
		star_pattern = NULL;
	}
}

/* ---- compiling rules ------------------------------------------------------------------- */

/* Cut unescaped trailing spaces in place. "a\ " keeps its escaped space, and tabs are kept. */
static void trim_trailing_spaces(char *line)
{
	char *first_trailing = NULL;

	for (char *p = line; *p != '\0'; p++) {
		if (*p == ' ') {
			if (!first_trailing)
				first_trailing = p;
			continue;
		}
		first_trailing = NULL;
		if (*p == '\\' && p[1] != '\0')
			p++;
	}
	if (first_trailing)
		*first_trailing = '\0';
}

/* Return the first unescaped '*', '?' or '[' of pattern, or NULL if there is none. */
static const char *find_wildcard(const char *pattern)
{
	for (const char *p = pattern; *p != '\0'; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
		else if (*p == '*' || *p == '?' || *p == '[')
			return p;
	}
	return NULL;
}

/* Return whether pattern ends with a '\\' that escapes nothing, which git never matches. */
static bool has_dangling_escape(const char *pattern, size_t length)
{
	size_t backslashes = 0;

	while (backslashes < length && pattern[length - 1 - backslashes] == '\\')
		backslashes++;
	return backslashes % 2 == 1;
}

/* Remove the escaping backslashes of s in place and return the new length. */
static size_t unescape_in_place(char *s)
{
	char *out = s;

	for (const char *in = s; *in != '\0'; in++) {
		if (*in == '\\' && in[1] != '\0')
			in++;
		*out++ = *in;
	}
	*out = '\0';
	return (size_t)(out - s);
}

/* Choose the cheapest matcher for pattern and fill rule->kind, pattern and lengths. */
static void classify_pattern(struct ignore_rule *rule, char *pattern)
{
	char *suffix = pattern;

	if (!find_wildcard(pattern)) {
		rule->kind = RULE_LITERAL;
		rule->pattern = pattern;
		rule->length = unescape_in_place(pattern);
		return;
	}

	/* In a basename no '/' can stop a '*', so "*.log" and "**.log" are plain suffix tests. */
	while (*suffix == '*')
		suffix++;
	if ((rule->flags & RULE_BASENAME) && suffix != pattern && !find_wildcard(suffix)) {
		rule->kind = RULE_SUFFIX;
		rule->pattern = suffix;
		rule->length = unescape_in_place(suffix);
		return;
	}

	rule->kind = RULE_GLOB;
	rule->pattern = pattern;
	rule->length = strlen(pattern);
	rule->prefix_length = strcspn(pattern, "*?[\\");
}

/*
 * Compile one line of a rule file (already split, CR removed) into *rule, cutting the line in
 * place. Returns false for a comment, a blank line or a pattern that can never match.
 */
static bool compile_rule(struct ignore_rule *rule, char *line)
{
	char *pattern = line;
	size_t length;

	memset(rule, 0, sizeof(*rule));
	if (line[0] == '#' || line[0] == '\0')
		return false;
	trim_trailing_spaces(line);

	if (pattern[0] == '!') {
		rule->flags |= RULE_NEGATED;
		pattern++;
	}
	length = strlen(pattern);
	if (length > 0 && pattern[length - 1] == '/') {
		rule->flags |= RULE_DIR_ONLY;
		pattern[--length] = '\0';
	}

	/* Without '/', a pattern matches a name at any depth. With one, it is anchored to base. */
	if (!memchr(pattern, '/', length)) {
		rule->flags |= RULE_BASENAME;
	} else if (pattern[0] == '/') {
		pattern++;
		length--;
	}

	/* "**" + "/name" with no other '/' matches exactly what "name" matches at any depth. */
	if (!(rule->flags & RULE_BASENAME) && strncmp(pattern, "**/", 3) == 0 &&
	    !strchr(pattern + 3, '/')) {
		rule->flags |= RULE_BASENAME;
		pattern += 3;
		length -= 3;
	}

	if (length == 0 || has_dangling_escape(pattern, length))
		return false;
	classify_pattern(rule, pattern);
	return true;
}

static int set_out_of_memory(void)
{
	return nhi_error_set(NHI_ENOMEM, "out of memory while loading ignore rules");
}

static int append_rule(struct ignore_frame *frame, const struct ignore_rule *rule)
{
	if (frame->rule_count == frame->rule_capacity) {
		size_t capacity = frame->rule_capacity * 2;
		struct ignore_rule *rules;

		if (capacity == 0)
			capacity = RULE_ARRAY_INITIAL;
		rules = realloc(frame->rules, capacity * sizeof(*rules));
		if (!rules)
			return set_out_of_memory();
		frame->rules = rules;
		frame->rule_capacity = capacity;
	}
	frame->rules[frame->rule_count++] = *rule;
	return 0;
}

/*
 * Compile every line of text (length bytes followed by a NUL) into frame->rules. Like git, it
 * skips a UTF-8 byte order mark, accepts LF and CRLF line ends and a last line without one, and
 * treats other bytes as opaque, so non-UTF-8 names work. A NUL byte ends its line's pattern.
 */
static int compile_rules(struct ignore_frame *frame, char *text, size_t length)
{
	char *line = text;
	char *end = text + length;

	if (length >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		line += 3;
	while (line < end) {
		char *newline = memchr(line, '\n', (size_t)(end - line));
		char *line_end = newline ? newline : end;
		char *next = newline ? newline + 1 : end;
		struct ignore_rule rule;
		int error;

		if (line_end > line && line_end[-1] == '\r')
			line_end--;
		*line_end = '\0';
		if (compile_rule(&rule, line)) {
			if ((error = append_rule(frame, &rule)) < 0)
				return error;
		}
		line = next;
	}
	return 0;
}

/* ---- reading rule files ---------------------------------------------------------------- */

static int set_open_error(const char *path, int open_errno, bool follow_symlink)
{
	if (open_errno == ELOOP && !follow_symlink)
		return nhi_error_set(NHI_EIO,
			"failed to read ignore file '%s': it is a symbolic link, which git does "
			"not follow for .gitignore; its rules are not applied", path);
	return nhi_error_set(NHI_EIO,
		"failed to open ignore file '%s': %s; its rules are not applied",
		path, strerror(open_errno));
}

/* Read up to size bytes from fd into buffer, stopping early at end of file. */
static int read_all(int fd, char *buffer, size_t size, size_t *out_length, const char *path)
{
	size_t done = 0;

	while (done < size) {
		ssize_t count = read(fd, buffer + done, size - done);

		if (count < 0 && errno == EINTR)
			continue;
		if (count < 0)
			return nhi_error_set(NHI_EIO,
				"failed to read ignore file '%s': %s; its rules are not applied",
				path, strerror(errno));
		if (count == 0)
			break;
		done += (size_t)count;
	}
	*out_length = done;
	return 0;
}

/*
 * Read the rule file at path into a new NUL-terminated buffer. A missing file (or a missing
 * folder on the way) is not an error and leaves *out NULL. A file that grows while it is read is
 * cut at the size it had when opened.
 *
 * O_NONBLOCK keeps a FIFO planted under the name from blocking the open, and the regular-file check
 * rejects it and devices before any read.
 */
static int read_rule_file(char **out, size_t *out_length, const char *path, bool follow_symlink)
{
	int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
	struct stat st;
	char *buffer = NULL;
	size_t length = 0;
	int fd;
	int error = 0;

	*out = NULL;
	if (!follow_symlink)
		flags |= O_NOFOLLOW;
	fd = open(path, flags);
	if (fd < 0) {
		if (errno != ENOENT && errno != ENOTDIR)
			error = set_open_error(path, errno, follow_symlink);
		goto done;
	}
	if (fstat(fd, &st) < 0) {
		error = nhi_error_set(NHI_EIO, "failed to stat ignore file '%s': %s; its rules are "
			"not applied", path, strerror(errno));
		goto done;
	}
	if (!S_ISREG(st.st_mode)) {
		error = nhi_error_set(NHI_EIO,
			"failed to read ignore file '%s': not a regular file; its rules are not "
			"applied", path);
		goto done;
	}
	if ((size_t)st.st_size > RULE_FILE_MAX_BYTES) {
		error = nhi_error_set(NHI_EINVALID,
			"ignore file '%s' is larger than %zu MiB; its rules are not applied",
			path, RULE_FILE_MAX_BYTES >> 20);
		goto done;
	}

	buffer = malloc((size_t)st.st_size + 1);
	if (!buffer) {
		error = set_out_of_memory();
		goto done;
	}
	if ((error = read_all(fd, buffer, (size_t)st.st_size, &length, path)) < 0)
		goto done;
	buffer[length] = '\0';

	*out = buffer;
	*out_length = length;
	buffer = NULL;
done:
	free(buffer);
	if (fd >= 0)
		close(fd);
	return error;
}

/* ---- the stack ------------------------------------------------------------------------- */

static void release_frame(struct ignore_frame *frame)
{
	free(frame->base);
	free(frame->text);
	free(frame->rules);
	memset(frame, 0, sizeof(*frame));
}

/* Move *frame onto the stack; on success *frame is left empty. */
static int push_frame(ignore_stack *stack, struct ignore_frame *frame)
{
	if (stack->frame_count == stack->frame_capacity) {
		size_t capacity = stack->frame_capacity ? stack->frame_capacity * 2 : 8;
		struct ignore_frame *frames = realloc(stack->frames, capacity * sizeof(*frames));

		if (!frames)
			return set_out_of_memory();
		stack->frames = frames;
		stack->frame_capacity = capacity;
	}
	stack->frames[stack->frame_count++] = *frame;
	memset(frame, 0, sizeof(*frame));
	return 0;
}

/* Return a new string root + "/" + reldir + "/" + name, leaving out reldir when it is empty. */
static char *join_path(const char *root, const char *reldir, const char *name)
{
	size_t root_length = strlen(root);
	size_t reldir_length = strlen(reldir);
	size_t name_length = strlen(name);
	char *path = malloc(root_length + reldir_length + name_length + 3);
	char *end = path;

	if (!path)
		return NULL;
	memcpy(end, root, root_length);
	end += root_length;
	*end++ = '/';
	if (reldir_length > 0) {
		memcpy(end, reldir, reldir_length);
		end += reldir_length;
		*end++ = '/';
	}
	memcpy(end, name, name_length + 1);
	return path;
}

/*
 * Load the rule file reldir/name and push it as a frame whose rules apply below reldir.
 * A missing file, or one without rules, pushes nothing.
 */
static int load_rule_file(ignore_stack *stack, const char *reldir, const char *name,
	bool follow_symlink)
{
	struct ignore_frame frame = { 0 };
	char *path = NULL;
	size_t length = 0;
	int error = 0;

	path = join_path(stack->root, reldir, name);
	if (!path) {
		error = set_out_of_memory();
		goto done;
	}
	if ((error = read_rule_file(&frame.text, &length, path, follow_symlink)) < 0 || !frame.text)
		goto done;
	if ((error = compile_rules(&frame, frame.text, length)) < 0 || frame.rule_count == 0)
		goto done;

	frame.base = strdup(reldir);
	if (!frame.base) {
		error = set_out_of_memory();
		goto done;
	}
	frame.base_length = strlen(reldir);
	frame.depth = stack->depth;
	error = push_frame(stack, &frame);
done:
	release_frame(&frame);
	free(path);
	return error;
}

/* Return whether reldir is a relative folder path without empty, "." or ".." components. */
static bool is_valid_reldir(const char *reldir)
{
	const char *component = reldir;

	for (;;) {
		size_t length = strcspn(component, "/");

		if (length == 0)
			return false;
		if (length == 1 && component[0] == '.')
			return false;
		if (length == 2 && component[0] == '.' && component[1] == '.')
			return false;
		if (component[length] == '\0')
			return true;
		component += length + 1;
	}
}

int ignore_stack_new(ignore_stack **out, const char *root)
{
	ignore_stack *stack = NULL;
	size_t root_length;
	int error = 0;
	int load_error;

	*out = NULL;
	if (!root || root[0] == '\0')
		return nhi_error_set(NHI_EINVALID, "empty work tree root for ignore rules");

	stack = calloc(1, sizeof(*stack));
	if (stack)
		stack->root = strdup(root);
	if (!stack || !stack->root) {
		error = set_out_of_memory();
		goto done;
	}
	root_length = strlen(stack->root);
	while (root_length > 0 && stack->root[root_length - 1] == '/')
		stack->root[--root_length] = '\0';

	/*
	 * info/exclude goes first so it sits below the root .gitignore and loses to it. Git follows
	 * a symbolic link there but not for .gitignore files inside the work tree, and so do we.
	 * NOTE: when .git is a file (linked worktrees, submodules), the exclude file of the git
	 * folder it points to is not read.
	 */
	load_error = load_rule_file(stack, "", ".git/info/exclude", true);
	if (load_error < 0)
		error = load_error;
	if (error == NHI_ENOMEM)
		goto done;
	load_error = load_rule_file(stack, "", ".gitignore", false);
	if (load_error < 0)
		error = load_error;
	if (error == NHI_ENOMEM)
		goto done;

	*out = stack;
	stack = NULL;
done:
	ignore_stack_free(stack);
	return error;
}

int ignore_stack_push_dir(ignore_stack *stack, const char *reldir)
{
	stack->depth++;
	if (reldir[0] == '\0')
		return 0;
	if (!is_valid_reldir(reldir))
		return nhi_error_set(NHI_EINVALID,
			"invalid folder '%s' for ignore rules: expected a relative path without "
			"empty, '.' or '..' components", reldir);
	return load_rule_file(stack, reldir, ".gitignore", false);
}

void ignore_stack_pop_dir(ignore_stack *stack)
{
	if (stack->depth == 0)
		return;
	while (stack->frame_count > 0) {
		struct ignore_frame *top = &stack->frames[stack->frame_count - 1];

		if (top->depth != stack->depth)
			break;
		release_frame(top);
		stack->frame_count--;
	}
	stack->depth--;
}

/* Return the part of path below frame's folder, or a view with NULL bytes if it is not below. */
static struct text_view view_below_base(const struct ignore_frame *frame, struct text_view path)
{
	struct text_view below = { NULL, 0 };
	size_t skip = frame->base_length + 1;

	if (frame->base_length == 0)
		return path;
	if (path.length <= skip || path.bytes[frame->base_length] != '/' ||
	    memcmp(path.bytes, frame->base, frame->base_length) != 0)
		return below;
	below.bytes = path.bytes + skip;
	below.length = path.length - skip;
	return below;
}

/*
 * Match text, whose first rule->prefix_length bytes equal the pattern's, against the rest of the
 * pattern. Git 2.39 matches that rest as a pattern of its own, so a "**" right after the literal
 * prefix counts as opening a component even when the prefix does not end in '/'. So "a**" + "/b"
 * matches "ab", and "d/foo**" matches "d/foo/x/y". We keep that quirk to agree with git.
 */
static bool match_glob_after_prefix(const struct ignore_rule *rule, const char *text)
{
	const char *rest = rule->pattern + rule->prefix_length;

	return match_glob(rest, text + rule->prefix_length);
}

static bool match_rule(const struct ignore_rule *rule, struct text_view subpath,
	struct text_view basename)
{
	struct text_view text = (rule->flags & RULE_BASENAME) ? basename : subpath;

	/* Comparing one byte before calling memcmp() rejects most rules without a call. */
	switch (rule->kind) {
	case RULE_LITERAL:
		return text.length == rule->length && text.bytes[0] == rule->pattern[0] &&
			memcmp(text.bytes, rule->pattern, rule->length) == 0;
	case RULE_SUFFIX:
		return rule->length == 0 || (text.length >= rule->length &&
			text.bytes[text.length - 1] == rule->pattern[rule->length - 1] &&
			memcmp(text.bytes + text.length - rule->length, rule->pattern,
				rule->length) == 0);
	case RULE_GLOB:
		return text.length >= rule->prefix_length &&
			memcmp(text.bytes, rule->pattern, rule->prefix_length) == 0 &&
			match_glob_after_prefix(rule, text.bytes);
	}
	return false;
}

/* Return the last rule of frame that matches, or NULL. */
static const struct ignore_rule *find_last_match(const struct ignore_frame *frame,
	struct text_view subpath, struct text_view basename, bool is_dir)
{
	for (size_t i = frame->rule_count; i-- > 0;) {
		const struct ignore_rule *rule = &frame->rules[i];

		if ((rule->flags & RULE_DIR_ONLY) && !is_dir)
			continue;
		if (match_rule(rule, subpath, basename))
			return rule;
	}
	return NULL;
}

bool ignore_stack_is_ignored(const ignore_stack *stack, const char *relpath, bool is_dir)
{
	struct text_view path = { relpath, strlen(relpath) };
	struct text_view basename;
	const char *slash = strrchr(relpath, '/');

	if (path.length == 0)
		return false;
	basename.bytes = slash ? slash + 1 : relpath;
	basename.length = path.length - (size_t)(basename.bytes - relpath);

	/* Deeper frames sit higher on the stack and win, so the first match found decides. */
	for (size_t i = stack->frame_count; i-- > 0;) {
		const struct ignore_frame *frame = &stack->frames[i];
		struct text_view subpath = view_below_base(frame, path);
		const struct ignore_rule *rule;

		if (!subpath.bytes)
			continue;
		rule = find_last_match(frame, subpath, basename, is_dir);
		if (rule)
			return !(rule->flags & RULE_NEGATED);
	}
	return false;
}

void ignore_stack_free(ignore_stack *stack)
{
	if (!stack)
		return;
	for (size_t i = 0; i < stack->frame_count; i++)
		release_frame(&stack->frames[i]);
	free(stack->frames);
	free(stack->root);
	free(stack);
}
