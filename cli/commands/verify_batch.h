/* psramctl verify on several boards at once: every probe attached
 * (--all-probes), the probes named (--serial A,B,C), or simulated boards
 * (--sim-count N, or one --sim-set FAULTS per board). Each board is checked
 * by its own psramctl (and so its own OpenOCD, and psramsim) run with
 * --json verify; this one shows a live line per board, keeps each board's
 * JSON stream and JUnit report in --batch-dir as verify-NAME.json and
 * verify-NAME.xml (NAME: the probe's serial, or simN), prints a summary
 * table and exits with the worst status (3 over 2 over 1 over 0). */
#ifndef CLI_VERIFY_BATCH_H
#define CLI_VERIFY_BATCH_H

struct global_options;

/* True when the global options ask for a batch. */
int verify_batch_requested(const struct global_options *g);
/* Runs the batch; argv is psramctl's own, whose command options and
 * non-batch global options each board's run gets too. */
int verify_batch_run(const struct global_options *g, int argc, char **argv);

#endif
