/* amlasim merge — placeholder until its issue lands. */
#include <stdio.h>
#include "src/cli/commands.h"

int
amlasim_cmd_merge (int argc, char **argv)
{
  fprintf (stderr, "amlasim merge: not available in this build yet\n");
  return 2;
}
