/* amlasim sweep — in progress. */
#include <stdio.h>
#include "src/cli/commands.h"

int
amlasim_cmd_sweep (int argc, char **argv)
{
  fprintf (stderr, "amlasim sweep: not available in this build yet\n");
  return 2;
}
