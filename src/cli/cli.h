/*
 * The command-line layer: argument parsing, the commands, and every message a person sees. It is
 * the only part of nhiscan that prints; the modules below it return codes and messages.
 */
#ifndef NHI_CLI_CLI_H
#define NHI_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>

#ifndef NHISCAN_VERSION
#define NHISCAN_VERSION "0.0.0-dev"
#endif

enum nhi_exit {
	NHI_EXIT_CLEAN = 0,    /* nothing found */
	NHI_EXIT_FINDINGS = 1, /* findings reported, or a check failed */
	NHI_EXIT_ERROR = 2,    /* the run could not go on: usage, configuration or I/O */
};

/* One option of a command: the table drives parsing and the generated help. */
struct cli_option {
	const char *name;       /* long name without dashes */
	char short_name;        /* 0 for none */
	const char *value_name; /* NULL for a flag */
	const char *help;
};

struct cli_command {
	const char *name;
	const char *usage;
	const char *summary;
	const struct cli_option *options;
	int (*run)(int argc, char **argv);
};

void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Parse argv against options, calling on_option for each option met (value NULL for flags) and
 * collecting the other arguments into positional. Returns 0, or NHI_EXIT_ERROR after printing a
 * usage error. "-h"/"--help" prints the command's help and returns -1.
 */
int cli_parse(const struct cli_command *command, int argc, char **argv,
	      int (*on_option)(void *payload, const char *name, const char *value), void *payload,
	      char ***positional, size_t *positional_count);

void cli_print_help(const struct cli_command *command);

/* Write data to path through a temporary file, or to standard output when path is NULL. */
int cli_write_output(const char *path, const char *data, size_t len);

/* Parse a size such as 512K, 10M or 1G into bytes. */
int cli_parse_size(size_t *out, const char *text);

int cmd_scan(int argc, char **argv);
int cmd_signatures(int argc, char **argv);
int cmd_inventory(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_install_hooks(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_merge(int argc, char **argv);

extern const struct cli_command cli_scan_command;
extern const struct cli_command cli_inventory_command;
extern const struct cli_command cli_check_command;

#endif
