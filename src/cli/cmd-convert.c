/* amlasim convert — placeholder until its issue lands. */
#include <stdio.h>
#include "src/cli/commands.h"

int
amlasim_cmd_convert (int argc, char **argv)
{
  fprintf (stderr, "amlasim convert: not available in this build yet\n");
  return 2;
}
