/* amlasim info — placeholder until its issue lands. */
#include <stdio.h>
#include "src/cli/commands.h"

int
amlasim_cmd_info (int argc, char **argv)
{
  fprintf (stderr, "amlasim info: not available in this build yet\n");
  return 2;
}
