/*
 * Option parsing driven by each command's option table, and the help text generated from it.
 */
#include "cli/cli.h"
#include "util/error.h"
#include "util/fs.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("nhiscan: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cli_warning(const char *fmt, ...)
{
	va_list ap;

	fputs("nhiscan: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cli_print_help(const struct cli_command *command)
{
	printf("usage: %s\n\n%s\n", command->usage, command->summary);
	if (!command->options || !command->options[0].name)
		return;
	printf("\noptions:\n");
	for (const struct cli_option *o = command->options; o->name; o++) {
		char left[64];

		if (o->short_name)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->short_name, o->name,
				 o->value_name ? " " : "", o->value_name ? o->value_name : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->name, o->value_name ? " " : "",
				 o->value_name ? o->value_name : "");
		printf("  %-28s %s\n", left, o->help);
	}
	printf("  %-28s %s\n", "-h, --help", "show this help");
}

static const struct cli_option *find_long(const struct cli_option *options, const char *name, size_t len)
{
	for (const struct cli_option *o = options; o && o->name; o++)
		if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
			return o;
	return NULL;
}

static const struct cli_option *find_short(const struct cli_option *options, char c)
{
	for (const struct cli_option *o = options; o && o->name; o++)
		if (o->short_name == c)
			return o;
	return NULL;
}

/* Resolve one option argument at argv[*i]; may consume the next argument as its value. */
static int parse_one(const struct cli_command *command, int argc, char **argv, int *i,
		     int (*on_option)(void *, const char *, const char *), void *payload)
{
	const char *arg = argv[*i];
	const struct cli_option *option;
	const char *value = NULL;

	if (arg[1] == '-') {
		const char *eq = strchr(arg + 2, '=');
		size_t len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);

		option = find_long(command->options, arg + 2, len);
		if (eq)
			value = eq + 1;
	} else {
		/* "-j4" is "-j 4" for an option that takes a value. */
		option = find_short(command->options, arg[1]);
		if (option && arg[2] != '\0') {
			if (!option->value_name)
				option = NULL;
			else
				value = arg + 2;
		}
	}
	if (!option) {
		cli_error("unknown option '%s' for '%s'; run 'nhiscan %s --help'", arg, command->name, command->name);
		return NHI_EXIT_ERROR;
	}

	if (option->value_name && !value) {
		if (*i + 1 >= argc) {
			cli_error("option '--%s' needs a value (%s)", option->name, option->value_name);
			return NHI_EXIT_ERROR;
		}
		value = argv[++*i];
	} else if (!option->value_name && value) {
		cli_error("option '--%s' takes no value", option->name);
		return NHI_EXIT_ERROR;
	}
	return on_option(payload, option->name, value);
}

int cli_parse(const struct cli_command *command, int argc, char **argv,
	      int (*on_option)(void *payload, const char *name, const char *value), void *payload,
	      char ***positional, size_t *positional_count)
{
	char **rest = calloc((size_t)argc + 1, sizeof(char *));
	size_t count = 0;
	bool options_done = false;
	int status;

	if (!rest) {
		cli_error("out of memory");
		return NHI_EXIT_ERROR;
	}
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (!options_done && strcmp(arg, "--") == 0) {
			options_done = true;
		} else if (!options_done && (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0)) {
			cli_print_help(command);
			free(rest);
			return -1;
		} else if (!options_done && arg[0] == '-' && arg[1] != '\0') {
			if ((status = parse_one(command, argc, argv, &i, on_option, payload)) != 0) {
				free(rest);
				return status;
			}
		} else {
			rest[count++] = argv[i];
		}
	}
	*positional = rest;
	*positional_count = count;
	return 0;
}

int cli_write_output(const char *path, const char *data, size_t len)
{
	if (!path || strcmp(path, "-") == 0) {
		/* A quiet clean scan has nothing to write, and its buffer may then be NULL. */
		if ((len && fwrite(data, 1, len, stdout) != len) || fflush(stdout) != 0) {
			cli_error("cannot write to standard output: %s", strerror(errno));
			return NHI_EXIT_ERROR;
		}
		return 0;
	}
	if (nhi_fs_write_atomic(path, data, len) < 0) {
		cli_error("%s; check that the folder exists and is writable", nhi_error_last());
		return NHI_EXIT_ERROR;
	}
	return 0;
}

int cli_parse_size(size_t *out, const char *text)
{
	char *end = NULL;
	unsigned long long value;

	errno = 0;
	value = strtoull(text, &end, 10);
	if (errno || end == text || text[0] == '-')
		return -1;
	switch (*end) {
	case 'k': case 'K': value <<= 10; end++; break;
	case 'm': case 'M': value <<= 20; end++; break;
	case 'g': case 'G': value <<= 30; end++; break;
	default: break;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end != '\0' || value == 0)
		return -1;
	*out = (size_t)value;
	return 0;
}
