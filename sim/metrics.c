/* sim/metrics.c — in progress */
