/* Target access and `psramctl info` against a stand-in for OpenOCD: a
 * tclsh serving the TCL RPC protocol (0x1a frames, result or error text,
 * like tcl_server.c) with Tcl procs that act as OpenOCD 0.12's
 * read_memory, write_memory, halt, wait_halt, get_reg, set_reg, resume and
 * curstate on a small memory model. It enforces OpenOCD's limits (65536
 * elements, 4 MiB lines) and records what it was asked. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "link/ocd_target.h"
#include "link/tcl_link.h"
#include "unit.h"

static const char server_script[] =
	"fconfigure stdout -translation binary\n"
	"array set mem {}\n"
	"set state running\n"
	"set never_halt 0\n"
	"set idcode_fails 0\n"
	"set maxcount 0\n"
	"set maxline 0\n"
	"set regs [dict create pc 0x08000400 sp 0x20001000 r0 0 xPSR 0x01000000]\n"
	"set last_set_reg {}\n"
	"set flip -1\n"
	"set last_resume {}\n"
	"set PSRAM_BOARD devebox-h750\n"
	"set PSRAM_BOARD_DESC {DEVEBOX STM32H7XX_M, STM32H750VBT6}\n"
	"set PSRAM_FAMILY stm32h7\n"
	"set PSRAM_TARGET stm32h7x.cpu0\n"
	"set PSRAM_XSPI quadspi\n"
	"set PSRAM_XSPI_BASE 0x52005000\n"
	"set PSRAM_XSPI_WINDOW 0x90000000\n"
	"set PSRAM_PINS {clk PB2 9 ncs PB6 10 io0 PD11 9 io1 PD12 9 io2 PE2 9 io3 PD13 9}\n"
	"set PSRAM_KERNEL_HZ 200000000\n"
	"set PSRAM_CPU_HZ 400000000\n"
	"set PSRAM_CLOCK_MHZ 50\n"
	"set PSRAM_CHIP esp-psram64h\n"
	"set PSRAM_STUB_RAM {0x20000000 0x20000}\n"
	"set PSRAM_WORK_AREA {0x24000000 0x10000}\n"
	/* DBGMCU_IDCODE of an H750 rev V, flash size 128 KiB */
	"foreach {a v} {0x5c001000 0x50 0x5c001001 0x64 0x5c001002 0x03 "
	"0x5c001003 0x20 0x1ff1e880 0x80 0x1ff1e881 0x00} {\n"
	"  set mem([expr {$a}]) [expr {$v}]\n"
	"}\n"
	"proc mapped {a} {\n"
	"  if {$a >= 0x20000000 && $a < 0x20020000} {return 1}\n"
	"  if {$::idcode_fails && $a >= 0x5c001000 && $a < 0x5c001004} {return 0}\n"
	"  return [info exists ::mem($a)]\n"
	"}\n"
	"proc version {} {return {Open On-Chip Debugger 0.12.0}}\n"
	"proc target {sub} {return stm32h7x.cpu0}\n"
	"proc targets {name} {\n"
	"  if {$name ne {stm32h7x.cpu0}} {error \"Target: $name is unknown\"}\n"
	"}\n"
	"proc stm32h7x.cpu0 {sub} {return $::state}\n"
	"proc read_memory {addr width count} {\n"
	"  if {$count > 65536} {error {read_memory: too many elements}}\n"
	"  if {$count > $::maxcount} {set ::maxcount $count}\n"
	"  set n [expr {$width / 8}]\n"
	"  set out {}\n"
	"  for {set i 0} {$i < $count} {incr i} {\n"
	"    set v 0\n"
	"    for {set b [expr {$n - 1}]} {$b >= 0} {incr b -1} {\n"
	"      set a [expr {$addr + $i * $n + $b}]\n"
	"      if {![mapped $a]} {error {read_memory: failed to read memory}}\n"
	"      set x [expr {[info exists ::mem($a)] ? $::mem($a) : 0}]\n"
	"      set v [expr {($v << 8) | $x}]\n"
	"    }\n"
	"    lappend out [format 0x%x $v]\n"
	"  }\n"
	"  return $out\n"
	"}\n"
	"proc write_memory {addr width data} {\n"
	"  if {[llength $data] > 65536} {error {write_memory: too many elements}}\n"
	"  if {[llength $data] > $::maxcount} {set ::maxcount [llength $data]}\n"
	"  set n [expr {$width / 8}]\n"
	"  set i 0\n"
	"  foreach v $data {\n"
	"    for {set b 0} {$b < $n} {incr b} {\n"
	"      set a [expr {$addr + $i * $n + $b}]\n"
	"      if {![mapped $a]} {error {write_memory: failed to write memory}}\n"
	"      set ::mem($a) [expr {($v >> (8 * $b)) & 0xff}]\n"
	"      if {$a == $::flip} {set ::mem($a) [expr {$::mem($a) ^ 0x10}]}\n"
	"    }\n"
	"    incr i\n"
	"  }\n"
	"}\n"
	"proc halt {ms} {if {!$::never_halt} {set ::state halted} else {error {timed out while waiting for target halted}}}\n"
	"proc wait_halt {ms} {\n"
	"  if {$::state ne {halted}} {error {timed out while waiting for target halted}}\n"
	"}\n"
	"proc get_reg {args} {\n"
	"  if {[lindex $args 0] ne {-force}} {error {stale cache}}\n"
	"  set out {}\n"
	"  foreach r [lindex $args 1] {lappend out $r [format 0x%08x [dict get $::regs $r]]}\n"
	"  return $out\n"
	"}\n"
	"proc set_reg {d} {\n"
	"  if {$::state ne {halted}} {error {target not halted}}\n"
	"  set ::last_set_reg $d\n"
	"  dict for {k v} $d {dict set ::regs $k $v}\n"
	"}\n"
	"proc resume {addr} {\n"
	"  if {$::state ne {halted}} {error {target not halted}}\n"
	"  set ::last_resume $addr\n"
	"  set ::state running\n"
	"}\n"
	"proc serve {ch} {\n"
	"  append ::buf($ch) [read $ch]\n"
	"  while {[set i [string first \"\\x1a\" $::buf($ch)]] >= 0} {\n"
	"    set line [string range $::buf($ch) 0 [expr {$i - 1}]]\n"
	"    set ::buf($ch) [string range $::buf($ch) [expr {$i + 1}] end]\n"
	"    if {[string length $line] > $::maxline} {set ::maxline [string length $line]}\n"
	"    if {[string length $line] > 4194304} {\n"
	"      set r \"line too long\\n\"\n"
	"    } else {\n"
	/* tcl_server.c answers with the result, or the error message */
	"      catch {uplevel #0 $line} r\n"
	"    }\n"
	"    puts -nonewline $ch \"$r\\x1a\"\n"
	"    flush $ch\n"
	"  }\n"
	"  if {[eof $ch]} {close $ch}\n"
	"}\n"
	"proc accept {ch addr port} {\n"
	"  fconfigure $ch -translation binary -blocking 0\n"
	"  set ::buf($ch) {}\n"
	"  fileevent $ch readable [list serve $ch]\n"
	"}\n"
	"set s [socket -server accept -myaddr 127.0.0.1 0]\n"
	"puts [lindex [fconfigure $s -sockname] 2]\n"
	"flush stdout\n"
	"vwait forever\n";

static pid_t server_pid;
static unsigned port;
static char script_path[64];

static int start_server(void)
{
	int p[2], fd;
	char buf[32];
	ssize_t n, got = 0;

	snprintf(script_path, sizeof(script_path), "/tmp/psramctl-unit-XXXXXX");
	fd = mkstemp(script_path);
	if (fd < 0 || write(fd, server_script, sizeof(server_script) - 1) !=
			      (ssize_t)sizeof(server_script) - 1)
		return -1;
	close(fd);
	if (pipe(p))
		return -1;
	fflush(NULL);
	server_pid = fork();
	if (server_pid == 0) {
		dup2(p[1], STDOUT_FILENO);
		close(p[0]);
		close(p[1]);
		execlp("tclsh", "tclsh", script_path, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	while (got < (ssize_t)sizeof(buf) - 1 &&
	       (n = read(p[0], buf + got, 1)) == 1 && buf[got] != '\n')
		got++;
	buf[got] = '\0';
	close(p[0]);
	port = (unsigned)strtoul(buf, NULL, 10);
	return port ? 0 : -1;
}

static void stop_server(void)
{
	if (server_pid > 0) {
		kill(server_pid, SIGKILL);
		waitpid(server_pid, NULL, 0);
	}
	server_pid = 0;
	unlink(script_path);
}

static struct tcl_link *link_;
static struct target t;

static void start_fake_openocd(void)
{
	CHECK(start_server() == 0);
	CHECK_EQ(tcl_link_connect(&link_, "127.0.0.1", port, 2000, NULL, NULL),
		 0);
}

static char *tcl(const char *cmd)
{
	char *res = NULL;

	if (tcl_link_exec(link_, cmd, &res, 5000)) {
		free(res);
		return NULL;
	}
	return res;
}

static int tcl_is(const char *cmd, const char *want)
{
	char *res = tcl(cmd);
	int ok = res && !strcmp(res, want);

	if (!ok)
		printf("  '%s' gave <%s>, expected <%s>\n", cmd,
		       res ? res : "(error)", want);
	free(res);
	return ok;
}

static void open_targets(void)
{
	CHECK_EQ(target_open(&t, link_, "no.such.target"), PSR_ERR_TARGET);
	CHECK(strstr(target_error(&t), "unknown"));
	target_close(&t);
	CHECK_EQ(target_open(&t, link_, NULL), 0);
	CHECK_STR(t.name, "stm32h7x.cpu0");
	target_close(&t);
	CHECK_EQ(target_open(&t, link_, "stm32h7x.cpu0"), 0);
}

static void single_accesses(void)
{
	uint32_t v;
	uint16_t h;

	CHECK_EQ(target_read_u32(&t, 0x5c001000, &v), 0);
	CHECK_EQ(v, 0x20036450);
	CHECK_EQ(target_read_u16(&t, 0x1ff1e880, &h), 0);
	CHECK_EQ(h, 128);
	CHECK_EQ(target_write_u32(&t, 0x20000010, 0xcafef00d), 0);
	CHECK_EQ(target_read_u32(&t, 0x20000010, &v), 0);
	CHECK_EQ(v, 0xcafef00d);
	CHECK_EQ(target_read_u32(&t, 0x60000000, &v), PSR_ERR_TARGET);
	CHECK(strstr(target_error(&t), "failed to read memory"));
}

static size_t progress_calls;

static void count_progress(void *ctx, size_t done, size_t total)
{
	(void)ctx;
	(void)done;
	(void)total;
	progress_calls++;
}

static void bulk_unaligned(void)
{
	const size_t len = 70001; /* two 64 KiB chunks plus odd ends */
	uint8_t *out = malloc(len), *in = malloc(len);
	char *max;

	CHECK(out && in);
	for (size_t i = 0; i < len; i++)
		out[i] = (uint8_t)(i * 7 + (i >> 8));
	t.progress = count_progress;
	progress_calls = 0;
	CHECK_EQ(target_write_mem(&t, 0x20000003, out, len), 0);
	CHECK(progress_calls >= 3);
	CHECK_EQ(target_read_mem(&t, 0x20000003, in, len), 0);
	t.progress = NULL;
	CHECK(memcmp(in, out, len) == 0);
	max = tcl("set maxcount");
	CHECK(max && atoi(max) > 1 && atoi(max) <= 16384);
	free(max);
	max = tcl("set maxline");
	CHECK(max && atoi(max) < 4 * 1024 * 1024);
	free(max);
	free(out);
	free(in);
	/* a range running off the map fails, and says so */
	CHECK_EQ(target_read_mem(&t, 0x2001fffe, (uint8_t[8]){0}, 8),
		 PSR_ERR_TARGET);
	CHECK_EQ(target_read_mem(&t, 0xfffffffc, (uint8_t[8]){0}, 8),
		 PSR_ERR_TARGET);
}

static void run_control(void)
{
	static const uint8_t image[] = {0x00, 0xbe, 0xfe, 0xe7, 1, 2, 3};
	static const char *const names[] = {"pc", "sp"};
	enum target_state st;
	uint32_t regs[2], pc;

	CHECK(tcl_is("set state running", "running"));
	CHECK_EQ(target_get_state(&t, &st), 0);
	CHECK_EQ(st, TARGET_RUNNING);
	/* a write the link corrupts (bit 4 of the byte at 0x20000105): found
	 * where it is read back, left to the caller's check beyond */
	CHECK(tcl_is("set flip [expr {0x20000105}]", "536871173"));
	CHECK_EQ(target_load(&t, 0x20000100, image, sizeof(image),
			     sizeof(image)),
		 PSR_ERR_VERIFY);
	CHECK_STR(target_error(&t), "0x20000105 reads 0x12 after writing 0x02");
	CHECK_EQ(target_load(&t, 0x20000100, image, sizeof(image), 5), 0);
	CHECK(tcl_is("set flip -1", "-1"));
	CHECK(tcl_is("set state running", "running"));
	/* load halts first */
	CHECK_EQ(target_load(&t, 0x20000100, image, sizeof(image), 4), 0);
	CHECK_EQ(target_get_state(&t, &st), 0);
	CHECK_EQ(st, TARGET_HALTED);
	CHECK_EQ(target_start(&t, 0x20000101, 0x20020000,
			      (const uint32_t[3]){0x1234, 7, 0xcafef00d}),
		 0);
	CHECK(tcl_is("set last_set_reg", "sp 0x20020000 pc 0x20000100 r0 "
					 "0x00001234 r1 0x00000007 r2 "
					 "0xcafef00d xPSR 0x01000000"));
	CHECK(tcl_is("set last_resume", "0x20000100"));
	CHECK_EQ(target_get_state(&t, &st), 0);
	CHECK_EQ(st, TARGET_RUNNING);
	/* it never reaches its BKPT */
	CHECK_EQ(target_wait_halt(&t, 100), PSR_ERR_NOT_HALTED);
	CHECK(strstr(target_error(&t), "running"));
	CHECK_EQ(target_read_regs(&t, names, regs, 2), 0);
	CHECK_EQ(regs[0], 0x20000100);
	CHECK_EQ(regs[1], 0x20020000);
	CHECK_EQ(target_stop(&t, 500, &pc), 0);
	CHECK_EQ(pc, 0x20000100);
	/* a core that will not halt */
	CHECK(tcl_is("set state running; set never_halt 1", "1"));
	CHECK_EQ(target_halt(&t, 100), PSR_ERR_NOT_HALTED);
	CHECK(tcl_is("set never_halt 0", "0"));
}

/* Runs psramctl's main with argv, stdout captured into out. */
static int run_cli(struct strbuf *out, const char *const *args, int n)
{
	static const struct command *const commands[] = {&cmd_info, NULL};
	char path[] = "/tmp/psramctl-unit-XXXXXX";
	char *argv[16], buf[4096];
	int fd = mkstemp(path), saved, status;
	ssize_t got;

	argv[0] = (char *)"psramctl";
	for (int i = 0; i < n; i++)
		argv[i + 1] = (char *)args[i];
	argv[n + 1] = NULL;
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	dup2(fd, STDOUT_FILENO);
	status = cli_main(n + 1, argv, commands);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	lseek(fd, 0, SEEK_SET);
	sb_reset(out);
	while ((got = read(fd, buf, sizeof(buf))) > 0)
		sb_add(out, buf, (size_t)got);
	close(fd);
	unlink(path);
	return status;
}

static void info_command(void)
{
	char connect[32];
	/* --no-eid: this stand-in OpenOCD cannot run the stub. */
	const char *args[5] = {"--connect", connect, "info", "--no-eid",
			       "--json"};
	struct strbuf out;

	snprintf(connect, sizeof(connect), "127.0.0.1:%u", port);
	sb_init(&out);
	CHECK_EQ(run_cli(&out, args, 5), 0);
	CHECK(strstr(out.buf, "{\"type\":\"info\",\"mcu\":{\"name\":"
			      "\"STM32H742/743/750/753\",\"rev\":\"V\","
			      "\"dev_id\":\"0x450\",\"rev_id\":\"0x2003\""));
	CHECK(strstr(out.buf, "\"flash\":{\"address\":\"0x08000000\","
			      "\"size\":131072}"));
	CHECK(strstr(out.buf, "{\"name\":\"DTCM\",\"address\":\"0x20000000\","
			      "\"size\":131072,\"use\":\"psramctl stub "
			      "0x20000000-0x2001ffff\"}"));
	CHECK(strstr(out.buf, "\"board\":{\"name\":\"devebox-h750\""));
	CHECK(strstr(out.buf, "\"clocks\":{\"cpu_hz\":400000000,"
			      "\"xspi_kernel_hz\":200000000,"
			      "\"test_clock_mhz\":50}"));
	CHECK(strstr(out.buf, "\"psram\":{\"checked\":false}"));
	CHECK(strchr(out.buf, '\n') == out.buf + out.len - 1);

	CHECK_EQ(run_cli(&out, args, 4), 0);
	CHECK(strstr(out.buf, "STM32H742/743/750/753 rev V (DEV_ID 0x450, "
			      "REV_ID 0x2003)"));
	CHECK(strstr(out.buf, "128 KiB at 0x08000000"));
	CHECK(strstr(out.buf, "QUADSPI      0x90000000  0x907fffff  8 MiB"));

	/* an unreadable IDCODE is "cannot reach target" */
	CHECK(tcl_is("set idcode_fails 1", "1"));
	CHECK_EQ(run_cli(&out, args, 4), 3);
	CHECK(tcl_is("set idcode_fails 0", "0"));
	sb_release(&out);
}

static void finish(void)
{
	target_close(&t);
	tcl_link_close(link_);
	stop_server();
}

UNIT_MAIN("cli_ocd_target", UNIT_TEST(start_fake_openocd),
	  UNIT_TEST(open_targets), UNIT_TEST(single_accesses),
	  UNIT_TEST(bulk_unaligned), UNIT_TEST(run_control),
	  UNIT_TEST(info_command), UNIT_TEST(finish))
