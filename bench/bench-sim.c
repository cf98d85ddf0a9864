/* bench/bench-sim.c — in progress */
int main (void) { return 0; }
