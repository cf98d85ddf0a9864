/* kernels/amla-config-fields.h — the one table of AmlaConfig's fields.
 *
 * For each field of AmlaConfig: its type, range and default, and the name it goes by wherever a
 * configuration crosses a boundary — the amlasim option and its help, the window's configure
 * word, its GAction and GSettings key, the trace's otherData.config key, the sweep CSV column and
 * sweep axis.  The CLI (src/cli/cli-util.c), the session (src/app/amlaviz-session*.c), the trace
 * otherData (amla-run.c), sweep grids and CSV (sweep.c, sweep-csv.c) and amla_config_validate
 * all read it, so a new field is one row in amla-config-fields.c (tests/kernels/test-config-fields
 * and the gui-config-roundtrip test fail until every place knows it).  No GTK.
 */
#pragma once

#include <glib.h>
#include "kernels/amla.h"

G_BEGIN_DECLS

typedef enum
{
  AMLA_FIELD_INT,     /* int in [min, max] */
  AMLA_FIELD_BOOL,    /* gboolean: on|off */
  AMLA_FIELD_RESCALE, /* AmlaRescale: amla|mul */
  AMLA_FIELD_STRING,  /* char[size]: a preset name or file */
  AMLA_FIELD_WHAT_IF, /* char[size]: "FIELD=VALUE ..." preset changes, added one at a time */
} AmlaFieldType;

typedef struct
{
  const char *name; /* the AmlaConfig member, "kv_len" */
  gsize offset, size;
  AmlaFieldType type;
  int min, max;          /* INT; BOOL and RESCALE are 0..1 */
  int dflt;              /* INT, BOOL, RESCALE */
  const char *dflt_text; /* STRING, WHAT_IF */
  gboolean zero_is_auto; /* INT: 0 means derived ("auto"), allowed beside [min, max] */
  /* INT: a rule beside the range (NULL = none) and the error when it fails, "%d" the value;
   * rule_replaces_range: the rule's message is the one for values out of range too */
  gboolean (*rule) (int value);
  const char *rule_message;
  gboolean rule_replaces_range;

  const char *option; /* amlasim long option without "--" (WHAT_IF: repeatable), NULL = none */
  char short_option;
  const char *option_arg; /* "TOKENS" */
  const char *help;
  const char *word;           /* the configure word, "kv" */
  const char *word_alias;     /* another spelling accepted, "S_kv", or NULL */
  const char *action;         /* GAction of the session, NULL = none */
  const char *settings_key;   /* GSettings key, NULL = not remembered */
  const char *other_data_key; /* otherData.config key; NULL = not there (what-ifs: hw.what_if) */
  const char *csv_column;     /* sweep CSV column, NULL = none */
  int sweep_axis;             /* SweepAxis (kernels/sweep.h), -1 = not an axis: every row sets it
                               * (left out it is 0, the hw axis; test-config-fields catches that) */
  const char *label;          /* for plots and people: "KV length S_kv (tokens)" */
} AmlaConfigField;

#define AMLA_CONFIG_N_FIELDS 11

/* All fields, in AmlaConfig's order (which is also --help's and otherData's). */
const AmlaConfigField *amla_config_fields (void);
/* By member name ("kv_len"), NULL if none. */
const AmlaConfigField *amla_config_field_find (const char *name);
/* The field of a sweep axis, NULL if none. */
const AmlaConfigField *amla_config_field_for_axis (int axis);

/* INT, BOOL (0/1) and RESCALE values as int; set stores into cfg (no checks). */
int amla_config_field_get_int (const AmlaConfigField *f, const AmlaConfig *cfg);
void amla_config_field_set_int (const AmlaConfigField *f, AmlaConfig *cfg, int value);
/* STRING and WHAT_IF text (a pointer into cfg). */
const char *amla_config_field_get_text (const AmlaConfigField *f, const AmlaConfig *cfg);
/* The field's value as typed: "96", "auto" (rows 0), "on", "mul", "ascend910c" (g_free). */
char *amla_config_field_format (const AmlaConfigField *f, const AmlaConfig *cfg);
gboolean amla_config_field_equal (const AmlaConfigField *f, const AmlaConfig *a,
                                  const AmlaConfig *b);
/* The value as typed into cfg (WHAT_IF: adds one FIELD=VALUE change).  Errors (AMLA_ERROR) name
 * the field as what, e.g. "--kv must be an integer in [1, 1048576], got 'x'". */
gboolean amla_config_field_parse (const AmlaConfigField *f, const char *text, const char *what,
                                  AmlaConfig *cfg, GError **error);
/* The field's range and rule; the error names "--OPTION". */
gboolean amla_config_field_validate (const AmlaConfigField *f, const AmlaConfig *cfg,
                                     GError **error);

/* "on"/"off" (also true/false/1/0/yes/no). */
gboolean amla_parse_onoff (const char *s, gboolean *out);

/* otherData.config of a trace (json_object *, transfer full): every field with an
 * other_data_key, task_rows as the effective count plus task_rows_auto. */
struct json_object *amla_config_to_json (const AmlaConfig *cfg);
/* Read otherData.config (a json_object *) into cfg: fields present are read, others kept. */
void amla_config_read_json (struct json_object *config, AmlaConfig *cfg);

G_END_DECLS
