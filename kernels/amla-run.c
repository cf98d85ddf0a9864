/* kernels/amla-run.c — in progress */
