/* bench/bench-redraw.c — toggle-to-redraw latency of the real window (issue 15): start amlaviz
 * in this process (the GUI tests' gui_start, under Xvfb), then toggle the session's `preload`
 * action as a user's Ctrl+1 or `gapplication action` would, and time until the timeline has
 * drawn the new run.
 *
 *   xvfb-run -a -s '-screen 0 1400x900x24' bench-redraw [--toggles N]   (meson test --benchmark)
 *
 * Three times: cold, every toggle simulates (the GSettings key keep-runs off); warm, the session
 * keeps runs and simulates the toggles' runs ahead (amlaviz-session-runs.c), and each toggle comes
 * after those are done, as for a user who pauses a moment; both in one-AIC-group mode, the
 * default, whose runs record only the drawn group; then cold with all cores drawn, every run
 * recording all 144 cores.
 *
 * Per toggle, three parts that add up to the latency:
 *   simulate  action -> the session's "trace-changed" (worker simulation, hand-over to the main
 *             loop)
 *   layout    "trace-changed" -> the timeline's draw starts (signal handlers of every widget, GTK
 *             layout, painting what comes before the timeline), itself in three parts (the
 *             medians are printed under each case's line): the wait for the window's frame clock
 *             (GTK paces frames 16.7 ms apart while anything animates, such as the switch just
 *             flipped), GTK's update and layout phases, and the paint phase up to the timeline
 *   draw      the timeline view's draw handler (tl_render_draw and what the view adds)
 * Prints each toggle and the medians, then the median time of the timeline's draw handler when
 * only a redraw is queued (the frame time of a pan, in the real X window). */
#include "bench/bench-util.h"
#include "tests/gui/gui-harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct
{
  gint64 act, swapped, draw_start, draw_end;
  gint64 frame, paint; /* the frame clock's first before-paint and last paint after swapped */
} Toggle;

static Toggle cur;

static void
on_trace_changed (AmlavizSession *s, gpointer data)
{
  if (cur.act != 0 && cur.swapped == 0)
    cur.swapped = g_get_monotonic_time ();
}

/* an emission hook runs before every handler: the phase's start */
static gboolean
on_frame_phase (GSignalInvocationHint *hint, guint n, const GValue *values, gpointer paint)
{
  if (cur.swapped == 0 || cur.draw_start != 0)
    return TRUE;
  gint64 now = g_get_monotonic_time ();
  if (paint)
    cur.paint = now;
  else if (cur.frame == 0)
    cur.frame = now;
  return TRUE;
}

static gboolean
on_draw_before (GtkWidget *w, cairo_t *cr, gpointer data)
{
  if (cur.swapped != 0 && cur.draw_start == 0)
    cur.draw_start = g_get_monotonic_time ();
  return FALSE;
}

static gboolean
on_draw_after (GtkWidget *w, cairo_t *cr, gpointer data)
{
  if (cur.draw_start != 0 && cur.draw_end == 0)
    {
      /* an X server draws what it was sent after the handler returns: wait for it */
      cairo_surface_flush (cairo_get_target (cr));
      gdk_display_sync (gtk_widget_get_display (w));
      cur.draw_end = g_get_monotonic_time ();
    }
  return FALSE;
}

static void
drop_message (const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
}

/* Flip one of the three toggles, as Ctrl+1/2/3 or `gapplication action` would. */
static void
toggle (int which)
{
  const char *names[] = { "preload", "tiling", "rescale" };
  GVariant *param = NULL;
  if (which == 2)
    param = g_variant_new_string (amlaviz_session_get_config (session)->rescale == AMLA_RESCALE_AMLA
                                      ? "mul"
                                      : "amla");
  g_action_group_activate_action (G_ACTION_GROUP (app), names[which], param);
}

/* n toggles; warm: the session keeps runs and simulates ahead, and each toggle waits until that
 * is done (a user who pauses a moment), cycling preload, tiling, rescale; cold: every toggle
 * simulates (keep-runs off), always preload.  all_cores: every core drawn, so every run records
 * all 144 (else one AIC group, the default, whose runs record only it).  Prints each toggle and
 * the medians. */
static int
measure (int n, gboolean warm, gboolean all_cores)
{
  g_autoptr (GSettings) settings = amlaviz_settings_new ();
  g_settings_set_boolean (settings, "keep-runs", warm);
  g_action_group_change_action_state (amlaviz_session_get_actions (session), "all-cores",
                                      g_variant_new_boolean (all_cores));
  settle ();
  const char *what = all_cores ? "all cores drawn, runs record all 144"
                               : "one AIC group drawn (the default), runs record only it";
  printf ("\n%s; %s\n",
          warm ? "warm: runs kept and simulated ahead (keep-runs on), each toggle after the runs "
                 "ahead are done; preload, tiling, rescale in turn"
               : "cold: every toggle simulates (keep-runs off); preload",
          what);
  double *total = g_new (double, n), *sim = g_new (double, n), *layout = g_new (double, n),
         *draw = g_new (double, n), *wait = g_new (double, n), *gtk = g_new (double, n),
         *before = g_new (double, n);
  int done = 0;
  for (int i = -1; i < n; i++) /* toggle -1 warms up (first simulation in a worker, fonts) */
    {
      if (warm)
        {
          gint64 until = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
          while (amlaviz_session_get_running_ahead (session) && g_get_monotonic_time () < until)
            g_main_context_iteration (NULL, TRUE);
        }
      memset (&cur, 0, sizeof cur);
      cur.act = g_get_monotonic_time ();
      int which = warm ? (i + 3) % 3 : 0;
      toggle (which);
      gint64 deadline = cur.act + 30 * G_USEC_PER_SEC;
      while (cur.draw_end == 0 && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
      if (cur.draw_end == 0)
        {
          printf ("toggle %2d: no redraw within 30 s\n", i + 1);
          settle ();
          continue;
        }
      if (i < 0)
        {
          printf ("warm-up toggle: %.1f ms\n", (cur.draw_end - cur.act) / 1000.0);
          settle ();
          continue;
        }
      total[done] = (cur.draw_end - cur.act) / 1000.0;
      sim[done] = (cur.swapped - cur.act) / 1000.0;
      layout[done] = (cur.draw_start - cur.swapped) / 1000.0;
      draw[done] = (cur.draw_end - cur.draw_start) / 1000.0;
      gint64 frame = cur.frame ? cur.frame : cur.swapped, paint = cur.paint ? cur.paint : frame;
      wait[done] = (frame - cur.swapped) / 1000.0;
      gtk[done] = (paint - frame) / 1000.0;
      before[done] = (cur.draw_start - paint) / 1000.0;
      const AmlaConfig *c = amlaviz_session_get_config (session);
      printf ("toggle %2d (preload %-3s tiling %-3s %-4s): %6.1f ms = simulate %6.1f + layout %5.1f "
              "+ draw %5.1f\n",
              i + 1, c->preload ? "on" : "off", c->tiling ? "on" : "off",
              amla_rescale_name (c->rescale), total[done], sim[done], layout[done], draw[done]);
      done++;
      settle (); /* let the rest of the window (numerics, metrics) finish before the next */
    }
  if (done > 0)
    printf ("%s%s: median of %d toggles: %.1f ms (target <= 60) = simulate %.1f + layout %.1f + "
            "draw %.1f\n",
            warm ? "warm" : "cold", all_cores ? ", all cores" : "", done,
            bench_median (total, done), bench_median (sim, done), bench_median (layout, done),
            bench_median (draw, done));
  if (done > 0)
    printf ("  layout = frame clock wait %.1f + GTK update and layout %.1f + painting before the "
            "timeline %.1f (medians)\n",
            bench_median (wait, done), bench_median (gtk, done), bench_median (before, done));
  g_free (wait);
  g_free (gtk);
  g_free (before);
  g_free (total);
  g_free (sim);
  g_free (layout);
  g_free (draw);
  return done;
}

int
main (int argc, char **argv)
{
  int n = 11;
  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], "--toggles") == 0 && i + 1 < argc)
      n = atoi (argv[++i]);
  n = MAX (n, 1);
  /* g_test_init (in gui_start) shows debug messages; the numbers are what this prints */
  g_log_set_handler ("GdkPixbuf", G_LOG_LEVEL_DEBUG, drop_message, NULL);
  /* g_test_init makes warnings fatal: without a D-Bus session dconf warns on the first settings
   * write, so settings stay in memory unless the caller chose a backend */
  g_setenv ("GSETTINGS_BACKEND", "memory", FALSE);
  gui_start (&argc, &argv, 1400, 900);
  GtkWidget *view = GTK_WIDGET (amlaviz_window_get_timeline (win, FALSE));
  g_signal_connect (session, "trace-changed", G_CALLBACK (on_trace_changed), NULL);
  g_signal_add_emission_hook (g_signal_lookup ("before-paint", GDK_TYPE_FRAME_CLOCK), 0,
                              on_frame_phase, NULL, NULL);
  g_signal_add_emission_hook (g_signal_lookup ("paint", GDK_TYPE_FRAME_CLOCK), 0, on_frame_phase,
                              GINT_TO_POINTER (1), NULL);
  g_signal_connect (view, "draw", G_CALLBACK (on_draw_before), NULL);
  g_signal_connect_after (view, "draw", G_CALLBACK (on_draw_after), NULL);
  const SimTrace *t = amlaviz_session_get_trace (session, FALSE);
  printf ("window 1400x900 (Xvfb), timeline %dx%d px, default configuration: %" G_GUINT64_FORMAT
          " spans recorded (%s)\n",
          gtk_widget_get_allocated_width (view), gtk_widget_get_allocated_height (view),
          t ? t->n_spans : 0,
          amlaviz_session_get_partial (session, FALSE) ? "the drawn AIC group" : "every core");
  int done = measure (n, FALSE, FALSE);
  done += measure (n, TRUE, FALSE);
  done += measure (n, FALSE, TRUE);
  g_action_group_change_action_state (amlaviz_session_get_actions (session), "all-cores",
                                      g_variant_new_boolean (FALSE));
  settle ();
  /* the timeline alone: queue a redraw of the unchanged run, as a pan or a hover would */
  double frames[31];
  int nf = 0;
  for (int i = 0; i < 31; i++)
    {
      memset (&cur, 0, sizeof cur);
      cur.act = cur.swapped = g_get_monotonic_time ();
      gtk_widget_queue_draw (view);
      gint64 deadline = cur.act + 5 * G_USEC_PER_SEC;
      while (cur.draw_end == 0 && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
      if (cur.draw_end != 0)
        frames[nf++] = (cur.draw_end - cur.draw_start) / 1000.0;
    }
  if (nf > 0)
    printf ("\ntimeline redraw of the same run in the window: median %.1f ms over %d frames\n",
            bench_median (frames, nf), nf);
  gtk_widget_destroy (GTK_WIDGET (win));
  g_object_unref (app);
  return done == 3 * n ? 0 : 1;
}
