/* sim/gm.c — in progress */
