/* src/render/colors.c — the timeline's palette: stage colours, name-hash colours for foreign
 * traces, and theme colours.  Stage colours are the Okabe–Ito set (distinguishable with the
 * common colour-vision deficiencies); generic spans use Paul Tol's "muted" (light) and "light"
 * (dark) schemes, picked by a stable hash of the span name so a name keeps its colour. */
#include "src/render/render-private.h"

#include <string.h>

#define HEX(h) { ((h) >> 16 & 0xff) / 255.0, ((h) >> 8 & 0xff) / 255.0, ((h) & 0xff) / 255.0 }

static const double stage_light[SIM_N_STAGES][3] = {
  HEX (0x9aa0a6), /* NONE (fallback) */
  HEX (0x0072b2), /* C1 blue */
  HEX (0xe69f00), /* V1 orange */
  HEX (0x009e73), /* C2 bluish green */
  HEX (0xd55e00), /* V2 vermillion */
  HEX (0xcc79a7), /* COMBINE reddish purple */
  HEX (0xb8bcc2), /* SYNC light grey */
};

static const double stage_dark[SIM_N_STAGES][3] = {
  HEX (0x80868b), HEX (0x56b4e9), HEX (0xe69f00), HEX (0x2fc08f),
  HEX (0xf07f3c), HEX (0xdc9cc4), HEX (0x5f6368),
};

#define N_HASH 9
static const double hash_light[N_HASH][3] = {
  HEX (0xcc6677), HEX (0x332288), HEX (0xddcc77), HEX (0x117733), HEX (0x88ccee),
  HEX (0x882255), HEX (0x44aa99), HEX (0x999933), HEX (0xaa4499),
};
static const double hash_dark[N_HASH][3] = {
  HEX (0x77aadd), HEX (0xee8866), HEX (0xeedd88), HEX (0xffaabb), HEX (0x99ddff),
  HEX (0x44bb99), HEX (0xbbcc33), HEX (0xaaaa00), HEX (0xdddddd),
};

void
tl_stage_color (SimStage stage, TlTheme theme, double rgb[3])
{
  int s = (int) stage;
  if (s < 0 || s >= SIM_N_STAGES)
    s = 0;
  memcpy (rgb, theme == TL_THEME_DARK ? stage_dark[s] : stage_light[s], 3 * sizeof (double));
}


int
tl_palette_size (void)
{
  return SIM_N_STAGES + N_HASH;
}

int
tl_palette_index (const SimSpan *span, const SimTrace *trace)
{
  if (span->stage != SIM_STAGE_NONE && span->stage < SIM_N_STAGES)
    return span->stage;
  /* the hash of the name's text, not its id, so a name keeps its colour across files */
  return SIM_N_STAGES + (int) (g_str_hash (sim_trace_string (trace, span->name)) % N_HASH);
}

void
tl_palette_color (int index, TlTheme theme, double rgb[3])
{
  if (index < SIM_N_STAGES)
    tl_stage_color ((SimStage) index, theme, rgb);
  else
    memcpy (rgb, theme == TL_THEME_DARK ? hash_dark[index - SIM_N_STAGES]
                                        : hash_light[index - SIM_N_STAGES],
            3 * sizeof (double));
}

void
tl_span_color (const SimSpan *span, const SimTrace *trace, TlTheme theme, double rgb[3])
{
  tl_palette_color (tl_palette_index (span, trace), theme, rgb);
}

void
tl_theme_color (TlTheme theme, TlColor which, double rgba[4])
{
  static const double light[TL_N_COLORS][4] = {
    [TL_COLOR_BACKGROUND] = { 1, 1, 1, 1 },
    [TL_COLOR_LANE_ALT] = { 0.961, 0.965, 0.973, 1 },
    [TL_COLOR_HEADER] = { 0.910, 0.918, 0.933, 1 },
    [TL_COLOR_TEXT] = { 0.122, 0.137, 0.157, 1 },
    [TL_COLOR_TEXT_DIM] = { 0.341, 0.376, 0.416, 1 },
    [TL_COLOR_GRID] = { 0.816, 0.843, 0.871, 1 },
    [TL_COLOR_SELECTION] = { 0, 0, 0, 1 },
    [TL_COLOR_RANGE] = { 0.15, 0.40, 0.95, 0.14 },
    [TL_COLOR_FLOW] = { 0.20, 0.20, 0.24, 0.75 },
    [TL_COLOR_COUNTER] = { 0.482, 0.380, 0.659, 1 },
  };
  static const double dark[TL_N_COLORS][4] = {
    [TL_COLOR_BACKGROUND] = { 0.118, 0.122, 0.133, 1 },
    [TL_COLOR_LANE_ALT] = { 0.145, 0.149, 0.165, 1 },
    [TL_COLOR_HEADER] = { 0.180, 0.188, 0.208, 1 },
    [TL_COLOR_TEXT] = { 0.902, 0.906, 0.914, 1 },
    [TL_COLOR_TEXT_DIM] = { 0.627, 0.643, 0.667, 1 },
    [TL_COLOR_GRID] = { 0.227, 0.239, 0.259, 1 },
    [TL_COLOR_SELECTION] = { 1, 1, 1, 1 },
    [TL_COLOR_RANGE] = { 0.40, 0.60, 1.0, 0.20 },
    [TL_COLOR_FLOW] = { 0.86, 0.86, 0.90, 0.75 },
    [TL_COLOR_COUNTER] = { 0.702, 0.616, 0.859, 1 },
  };
  int w = CLAMP ((int) which, 0, TL_N_COLORS - 1);
  memcpy (rgba, theme == TL_THEME_DARK ? dark[w] : light[w], 4 * sizeof (double));
}

const char *
tl_stage_caption (SimStage stage)
{
  switch (stage)
    {
    case SIM_STAGE_C1: return "QK\u1d40";
    case SIM_STAGE_V1: return "softmax";
    case SIM_STAGE_C2: return "PV";
    case SIM_STAGE_V2: return "normalise";
    case SIM_STAGE_COMBINE: return "combine";
    case SIM_STAGE_SYNC: return "wait / flag";
    default: return "other";
    }
}

guint
tl_trace_stage_mask (const SimTrace *trace)
{
  /* a run that recorded some cores only lists the stages of the others too: the legend is the
   * run's, whichever cores were recorded */
  guint mask = trace->unrecorded_stages;
  for (guint g = 0; g < trace->groups->len; g++)
    {
      SimGroup *grp = g_ptr_array_index (trace->groups, g);
      for (guint l = 0; l < grp->lanes->len; l++)
        {
          SimLane *lane = g_ptr_array_index (grp->lanes, l);
          for (gsize i = 0; i < lane->n_spans; i++)
            mask |= 1u << MIN (lane->spans[i].stage, 31);
        }
    }
  return mask;
}

/* Markers: magenta, teal, gold, violet, sky, brick — apart from the stage colours (Tol's
 * "vibrant" and "bright" minus the blues, oranges and greens the stages use). */
void
tl_marker_color (int index, TlTheme theme, double rgb[3])
{
  static const double light[][3] = {
    HEX (0xee3377), HEX (0x009988), HEX (0xccbb44), HEX (0xaa3377), HEX (0x33bbee), HEX (0xbb5566),
  };
  static const double dark[][3] = {
    HEX (0xff5599), HEX (0x33ccbb), HEX (0xeedd66), HEX (0xdd66aa), HEX (0x66ccff), HEX (0xee8899),
  };
  int n = (int) G_N_ELEMENTS (light);
  int i = ((index % n) + n) % n;
  memcpy (rgb, theme == TL_THEME_DARK ? dark[i] : light[i], 3 * sizeof (double));
}

/* Flags: Paul Tol's "muted" set on light backgrounds and his "light" set on dark ones —
 * distinguishable with the common colour-vision deficiencies, and readable as thin lines. */
static const double flow_light[][3] = {
  HEX (0x332288), HEX (0x117733), HEX (0x882255), HEX (0x44aa99), HEX (0xaa4499), HEX (0x999933),
  HEX (0xcc6677),
};
static const double flow_dark[][3] = {
  HEX (0x77aadd), HEX (0xee8866), HEX (0xeedd88), HEX (0xffaabb), HEX (0x99ddff), HEX (0x44bb99),
  HEX (0xbbcc33),
};

int
tl_flow_palette_size (void)
{
  return (int) G_N_ELEMENTS (flow_light);
}

void
tl_flow_palette_color (int index, TlTheme theme, double rgb[3])
{
  int n = tl_flow_palette_size ();
  int i = ((index % n) + n) % n;
  memcpy (rgb, theme == TL_THEME_DARK ? flow_dark[i] : flow_light[i], 3 * sizeof (double));
}

int
tl_flow_color_index (const SimTrace *trace, const SimFlow *flow)
{
  return (int) (g_str_hash (sim_trace_string (trace, flow->name)) % (guint) tl_flow_palette_size ());
}

double
_tl_luminance (const double rgb[3])
{
  return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
}
