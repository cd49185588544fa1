/*
 * nhiscan's entry point: picks the command and returns its exit status.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "scan", cmd_scan, "scan files for hard-coded credentials" },
	{ "signatures", cmd_signatures, "check or list the detection rules" },
	{ "inventory", cmd_inventory, "write the inventory of non-human identities (nhi-inventory.yaml)" },
	{ "check", cmd_check, "compare the inventory with the committed one (the pull-request gate)" },
	{ "install-hooks", cmd_install_hooks, "install the pre-commit and pre-push hooks in a repository" },
	{ "sweep", cmd_sweep, "build the inventories of many repositories and the organisation inventory" },
	{ "merge", cmd_merge, "combine the outputs of sharded sweeps" },
};

static void print_usage(FILE *out)
{
	fprintf(out, "usage: nhiscan <command> [options]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-14s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "  %-14s %s\n", "version", "print the version");
	fprintf(out, "\nrun 'nhiscan <command> --help' for a command's options\n");
}

int main(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		print_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? NHI_EXIT_ERROR : NHI_EXIT_CLEAN;
	}
	if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("nhiscan %s\n", NHISCAN_VERSION);
		return NHI_EXIT_CLEAN;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);

	cli_error("unknown command '%s'; run 'nhiscan help' for the list", argv[1]);
	return NHI_EXIT_ERROR;
}
