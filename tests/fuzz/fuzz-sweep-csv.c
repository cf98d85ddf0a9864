/* tests/fuzz/fuzz-sweep-csv.c — libFuzzer target for the sweep CSV reader and the merge checks
 * (kernels/sweep-csv.c).  Any input must parse or fail with a SWEEP_ERROR message; what parses
 * must write back and parse again to the same text, and survive the merge checks. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/sweep.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  GArray *rows = sweep_results_new ();
  GError *err = NULL;
  if (!sweep_csv_parse ((const char *) data, size, "fuzz.csv", rows, &err))
    {
      if (err == NULL || err->domain != SWEEP_ERROR || err->message[0] == '\0')
        abort ();
      g_error_free (err);
      g_array_unref (rows);
      return 0;
    }
  char *text = sweep_csv_format (rows);
  GArray *again = sweep_results_new ();
  if (!sweep_csv_parse (text, strlen (text), "again.csv", again, NULL) || again->len != rows->len)
    abort ();
  char *text2 = sweep_csv_format (again);
  if (strcmp (text, text2) != 0)
    {
      gsize at = 0;
      while (text[at] == text2[at])
        at++;
      gsize from = at > 60 ? at - 60 : 0;
      fprintf (stderr, "round trip differs at byte %zu:\n  first:  %.120s\n  second: %.120s\n", at,
               text + from, text2 + from);
      abort ();
    }
  if (!sweep_results_check (rows, TRUE, &err))
    {
      if (err == NULL || err->message[0] == '\0')
        abort ();
      g_clear_error (&err);
    }
  g_free (text);
  g_free (text2);
  g_array_unref (again);
  g_array_unref (rows);
  return 0;
}
