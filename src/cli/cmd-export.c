/* amlasim export — placeholder until its issue lands. */
#include <stdio.h>
#include "src/cli/commands.h"

int
amlasim_cmd_export (int argc, char **argv)
{
  fprintf (stderr, "amlasim export: not available in this build yet\n");
  return 2;
}
