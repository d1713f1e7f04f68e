#!/bin/bash
# Installed like a Debian tool: make install DESTDIR=... puts the programs,
# board files, man pages and bash completion in place; the installed
# psramctl finds its boards and psramsim; man renders both pages without
# a warning; each page says what --help says (every command, option and
# exit status) and is what scripts/gen-man writes from the --help texts;
# the completion, loaded in bash, offers commands, options, board names
# and probe serials; --version names the stub ABI and the OpenOCD found.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-usb.sh"

ROOT=$WORK/root
make -C "$TOP" -s install BUILD="$BUILD" DESTDIR="$ROOT" PREFIX=/usr >"$WORK/install.log" 2>&1
check install-status test $? -eq 0
for f in bin/psramctl bin/psramsim share/psramctl/sim.cfg share/psramctl/boards/devebox-h750.cfg \
	share/man/man1/psramctl.1 share/man/man1/psramsim.1 \
	share/bash-completion/completions/psramctl share/bash-completion/completions/psramsim; do
	check "installed-${f//\//-}" test -s "$ROOT/usr/$f"
done
check installed-runs bash -c "cd '$WORK' && PATH=/usr/bin:/bin timeout 60 '$ROOT/usr/bin/psramctl' --sim eid | grep -q '^Result        PASS'"

# --version
v=$("$ROOT/usr/bin/psramctl" --version)
abi=$(sed -nE 's/^#define STUB_ABI_VERSION ([0-9]+)U.*/\1/p' "$TOP/target-stubs/include/stub_abi.h")
check version-abi grep -qE "^psramctl [0-9.]+, stub ABI $abi\$" <<<"$v"
check version-openocd grep -qE "^OpenOCD: Open On-Chip Debugger [0-9.]+.* \\($(command -v openocd)\\)\$" <<<"$v"
check version-no-openocd bash -c "'$ROOT/usr/bin/psramctl' --openocd /nonexistent/openocd --version | grep -q '^OpenOCD: not found (/nonexistent/openocd)$'"

# man pages: render cleanly, match --help.
for p in psramctl psramsim; do
	page=$ROOT/usr/share/man/man1/$p.1
	warn=$(groff -man -ww -z "$page" 2>&1)
	check "man-$p-no-warnings" test -z "$warn"
	MANWIDTH=100 man -l "$page" >"$WORK/$p.txt" 2>"$WORK/$p.man.err"
	check "man-$p-renders" bash -c "[ -s '$WORK/$p.txt' ] && grep -q '^EXIT STATUS' '$WORK/$p.txt'"
	"$TOP/scripts/gen-man" "$p" "$BUILD/$p" >"$WORK/$p.1" 2>/dev/null
	if cmp -s "$WORK/$p.1" "$TOP/docs/man/$p.1"; then pass "man-$p-regenerated"; else
		fail "man-$p-regenerated" "docs/man/$p.1 is out of date: scripts/gen-man $p build/$p > docs/man/$p.1"
	fi
done
man_text=$(cat "$WORK/psramctl.txt")
help=$("$BUILD/psramctl" --help)
missing=""
for o in $(sed -nE 's/^  (-[a-zA-Z], |    )?(--[a-z0-9-]+).*/\2/p' <<<"$help"); do
	grep -qE -- "$o([^a-z0-9-]|\$)" <<<"$man_text" || missing="$missing $o"
done
commands=$(sed -n '/^Commands:/,/^$/p' <<<"$help" | awk 'NF && $1 != "Commands:" && $1 != "help" { print $1 }')
for c in $commands; do
	grep -qE "^   $c( |\$)" <<<"$man_text" || missing="$missing $c"
	for o in $("$BUILD/psramctl" help "$c" | sed -n '/^Options:/,/^$/p' | sed -nE 's/^  (-[a-zA-Z], |    )?(--[a-z0-9-]+).*/\2/p'); do
		grep -qE -- "$o([^a-z0-9-]|\$)" <<<"$man_text" || missing="$missing $c:$o"
	done
done
check man-has-every-option test -z "$missing"
exit_section=$(sed -n '/^EXIT STATUS/,/^[A-Z]/p' "$WORK/psramctl.txt")
missing=""
for s in $(tr '\n' ' ' <<<"$help" | grep -oE 'Exit status:? [^.]*\.' | grep -oE '\b([0-9]|1[0-9]{2})\b' | sort -un); do
	grep -qE "^       $s( |\$)" <<<"$exit_section" || missing="$missing $s"
done
check man-has-every-exit-status bash -c "[ -z '$missing' ] && [ -n '$exit_section' ]"
missing=""
for o in $("$BUILD/psramsim" --help | sed -nE 's/^  (-[a-zA-Z], |    )?(--[a-z0-9-]+).*/\2/p'); do
	grep -qE -- "$o([^a-z0-9-]|\$)" "$WORK/psramsim.txt" || missing="$missing $o"
done
check man-psramsim-has-every-option test -z "$missing"

# Completion, from the installed file, in bash.
complete_words() {
	# complete_words WORD... : what Tab offers for the last word
	PATH="$ROOT/usr/bin:$PATH" bash -c '
		. "$1/usr/share/bash-completion/completions/psramctl"
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		case $1 in psramsim) _psramsim ;; *) _psramctl ;; esac
		printf "%s\n" "${COMPREPLY[@]}"' _ "$ROOT" "$@"
}
check complete-commands test "$(complete_words psramctl ve | tr '\n' ' ')" = "verify "
check complete-global-option test "$(complete_words psramctl --all | tr '\n' ' ')" = "--all-probes "
check complete-command-option test "$(complete_words psramctl --sim watch --pas | tr '\n' ' ')" = "--passes "
check complete-after-value test "$(complete_words psramctl --board devebox-h750 wa | tr '\n' ' ')" = "watch "
check complete-boards test "$(complete_words psramctl --board weact | tr '\n' ' ')" = "weact-h750 "
check complete-sim-boards test "$(complete_words psramctl --sim-board devebox-h7 | tr '\n' ' ')" = "devebox-h743 devebox-h750 devebox-h7a3 "
check complete-psramsim test "$(complete_words psramsim --list-f | tr '\n' ' ')" = "--list-faults "
if umockdev_ok; then
	dev=$WORK/st.umockdev
	usb_root_hub "$dev" 1
	usb_device "$dev" 1-2 5 0483 374b 0100 STMicroelectronics "STM32 STLink" 066DFF555052836687031633 \
		"ff/ff/ff/81b,01b,82b/ST-Link Debug"
	got=$(umockdev-run -d "$dev" -- env PATH="$ROOT/usr/bin:$PATH" bash -c '
		. "$1/usr/share/bash-completion/completions/psramctl"
		COMP_WORDS=(psramctl --serial 066); COMP_CWORD=2; _psramctl
		echo "${COMPREPLY[*]}"' _ "$ROOT")
	check complete-serials test "$got" = 066DFF555052836687031633
fi
