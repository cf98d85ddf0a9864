/* src/cli/commands.h — amlasim subcommands; one file per command (cmd-<name>.c).
 * Each returns the process exit status: 0 ok, 1 failure (message printed), 2 bad usage. */
#pragma once

int amlasim_cmd_run (int argc, char **argv);
int amlasim_cmd_sweep (int argc, char **argv);
int amlasim_cmd_hw (int argc, char **argv);
int amlasim_cmd_numerics (int argc, char **argv);
int amlasim_cmd_info (int argc, char **argv);
int amlasim_cmd_convert (int argc, char **argv);
int amlasim_cmd_export (int argc, char **argv);
int amlasim_cmd_merge (int argc, char **argv);
int amlasim_cmd_sensitivity (int argc, char **argv);
