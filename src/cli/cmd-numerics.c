/* amlasim numerics — placeholder until its issue lands. */
#include <stdio.h>
#include "src/cli/commands.h"

int
amlasim_cmd_numerics (int argc, char **argv)
{
  fprintf (stderr, "amlasim numerics: not available in this build yet\n");
  return 2;
}
