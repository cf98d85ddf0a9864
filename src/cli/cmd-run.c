/* amlasim run — in progress. */
#include <stdio.h>
#include "src/cli/commands.h"

int
amlasim_cmd_run (int argc, char **argv)
{
  fprintf (stderr, "amlasim run: not available in this build yet\n");
  return 2;
}
