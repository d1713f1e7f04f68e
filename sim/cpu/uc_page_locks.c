/* Unicorn 2.0.1 makes every guest store to RAM take QEMU's "not dirty"
 * path (notdirty_write, accel/tcg/cputlb.c), which checks the written page
 * for translated code. On the way it builds a page_collection: a GLib tree
 * allocated, filled and freed for every store, to hold page locks that
 * Unicorn, being single-threaded, never takes (its page_lock is empty). In
 * psramsim that bookkeeping was the largest single cost of a memtest (a
 * store took four times as long as with it gone). Unicorn removed it
 * upstream after 2.0.1 (unicorn-engine/unicorn pull request 1838, "Ignore
 * page_collection_lock"; issue 1970 measures the slowdown).
 *
 * libunicorn calls page_collection_lock_arm and page_collection_unlock_arm
 * through its PLT, so the definitions below are the ones it uses. For the
 * Unicorn release they were checked against (2.0.1) they do what upstream
 * does now: no collection, since the ARM target never reads it (QEMU reads
 * it only for precise self-modifying code, TARGET_HAS_PRECISE_SMC, which is
 * x86 and s390x only); code written by the guest is still found and its
 * translations dropped by tb_invalidate_phys_page_fast, as before. With
 * any other Unicorn they hand the call to Unicorn's own functions. */
#define _GNU_SOURCE
#include "cpu/uc_page_locks.h"

#include <dlfcn.h>
#include <stddef.h>
#include <unicorn/unicorn.h>

struct uc_struct;
struct page_collection;

typedef struct page_collection *(*lock_fn)(struct uc_struct *, uint64_t,
					   uint64_t);
typedef void (*unlock_fn)(struct page_collection *);

/* Prototypes for the definitions libunicorn binds to. */
struct page_collection *page_collection_lock_arm(struct uc_struct *uc,
						 uint64_t start, uint64_t end);
void page_collection_unlock_arm(struct page_collection *set);

static enum { UNKNOWN, SKIP, FORWARD } mode;
static lock_fn real_lock;
static unlock_fn real_unlock;

bool uc_page_locks_init(void)
{
	unsigned major = 0, minor = 0;
	unsigned v = uc_version(&major, &minor);

	if (mode != UNKNOWN)
		return mode == SKIP;
	/* uc_version: major << 24 | minor << 16 | patch << 8 | extra. */
	if ((v & 0xFFFFFF00U) == 0x02000100U) {
		mode = SKIP;
		return true;
	}
	real_lock = (lock_fn)dlsym(RTLD_NEXT, "page_collection_lock_arm");
	real_unlock = (unlock_fn)dlsym(RTLD_NEXT, "page_collection_unlock_arm");
	mode = FORWARD;
	return false;
}

struct page_collection *page_collection_lock_arm(struct uc_struct *uc,
						 uint64_t start, uint64_t end)
{
	if (mode == UNKNOWN)
		uc_page_locks_init();
	if (mode == SKIP || !real_lock)
		return NULL;
	return real_lock(uc, start, end);
}

void page_collection_unlock_arm(struct page_collection *set)
{
	if (mode == UNKNOWN)
		uc_page_locks_init();
	if (set && real_unlock)
		real_unlock(set);
}
