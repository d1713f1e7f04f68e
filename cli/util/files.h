/* Files psramctl reads or writes on the user's behalf, judged before any
 * work starts.
 *
 * Inputs (flash FILE, --stub FILE): opened without blocking and checked
 * with fstat before the first read, so a FIFO, a device or a directory is
 * refused at once (open() of a FIFO would otherwise wait for a writer
 * for ever).
 *
 * Outputs (--junit, --plot, and whatever else a command writes at its
 * end): checked before the board is touched, without creating anything:
 * a directory, a FIFO or socket, a missing or read-only folder is a
 * usage error (exit 2). Writing them at the end can still fail (a full
 * disk): that is PSR_ERR_OUTPUT (exit 4), never "target not reachable". */
#ifndef CLI_FILES_H
#define CLI_FILES_H

#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"

/* Reads the regular file at path, at most max bytes. 0 with *data (to be
 * freed; one spare byte after the end) and *len, or -1 with the reason
 * in why ("is a FIFO, not a regular file", "cannot open it: ..."); the
 * caller names the file. */
int file_read_regular(const char *path, size_t max, uint8_t **data,
		      size_t *len, struct strbuf *why);

/* What kind of file st_mode is, for messages: "a directory", "a FIFO". */
const char *file_kind(unsigned mode);

/* Checks that path can be written as the output of option ("--junit").
 * NULL passes. 0, or PSR_ERR_USAGE, printed: "cannot write --junit
 * 'out/': it is a directory". */
int file_check_output(const char *option, const char *path);

/* Writes len bytes to path (replacing it). 0, or PSR_ERR_OUTPUT, printed
 * with the option and the system's reason. */
int file_write_output(const char *option, const char *path,
		      const void *data, size_t len);

/* Opens /dev/null on each of descriptors 0-2 that is closed, so that no
 * socket, log or chunk file psramctl opens later becomes its stdin,
 * stdout or stderr (a report written into OpenOCD's Tcl socket). Called
 * first thing in main. */
void file_std_fds_safe(void);

/* Flushes stdout and tells whether everything written to it arrived:
 * 0, or PSR_ERR_OUTPUT printed on stderr ("cannot write the results to
 * standard output: No space left on device"). */
int file_flush_stdout(void);

/* The folder temporary files go to ($TMPDIR, else /tmp), checked to be a
 * writable directory: 0, or PSR_ERR_USAGE printed naming TMPDIR. */
int file_check_tmpdir(void);
const char *file_tmpdir(void);

#endif
