#!/bin/bash
# README.md and --help tell the same story: every command psramctl --help
# lists, every global option, every option of each command's --help and
# every exit status they name appear in README.md (a command's options and
# exit statuses in its own "### NAME" section when it has one). No target
# is needed: --help never touches a board.
. "$(dirname "$0")/lib.sh"

README=$TOP/README.md
[ -s "$README" ] || { fail readme-present "no $README"; exit 1; }

# The option names of a --help text: "--name" at the start of its lines.
help_options() { sed -nE 's/^  (-[a-zA-Z], |    )(--[a-z0-9-]+).*/\2/p'; }

# The exit statuses a --help text names: the numbers of its "Exit status"
# sentences (which may wrap).
help_statuses() {
	tr '\n' ' ' | grep -oE 'Exit status:? [^.]*\.' | grep -oE '\b([0-9]|1[0-9]{2})\b' | sort -un
}

# The README section of a command ("### NAME" up to the next heading of
# that level or above), or the whole README when it has none.
readme_section() {
	if grep -qE "^### $1\$" "$README"; then
		awk -v h="### $1" '$0 == h { on = 1; next } on && /^##/ { exit } on' "$README"
	else
		cat "$README"
	fi
}

# has_option TEXT OPTION: the option as a whole word (--sim is not found
# in --sim-board).
has_option() { grep -qE -- "$2([^a-z0-9-]|\$)" <<<"$1"; }

# has_status TEXT N: an "Exit status" sentence of TEXT names N.
has_status() {
	tr '\n' ' ' <<<"$1" | grep -oE 'Exit status:? [^.]*\.' | grep -qE "\b$2\b"
}

# none_missing NAME LIST: passes when LIST is empty, else names what is.
none_missing() {
	if [ -z "$2" ]; then pass "$1"; else fail "$1" "not in README.md:$2"; fi
}

main_help=$("$PSRAMCTL" --help) || { fail main-help "psramctl --help failed"; exit 1; }
readme=$(cat "$README")
commands=$(sed -n '/^Commands:/,/^$/p' <<<"$main_help" | awk 'NF && $1 != "Commands:" && $1 != "help" { print $1 }')
step commands-listed test -n "$commands" || exit 1

missing=""
for c in $commands; do
	grep -qE "(psramctl|^###) .*\b$c\b" "$README" || missing="$missing $c"
done
none_missing readme-names-every-command "$missing"

missing=""
for o in $(help_options <<<"$main_help"); do
	has_option "$readme" "$o" || missing="$missing $o"
done
none_missing readme-has-global-options "$missing"

missing=""
for n in $(help_statuses <<<"$main_help"); do
	has_status "$readme" "$n" || missing="$missing $n"
done
none_missing readme-has-exit-statuses "$missing"

for c in $commands; do
	h=$("$PSRAMCTL" "$c" --help) || { fail "$c-help" "psramctl $c --help failed"; continue; }
	section=$(readme_section "$c")
	missing=""
	for o in $(help_options <<<"$h"); do
		has_option "$section" "$o" || missing="$missing $o"
	done
	for n in $(help_statuses <<<"$h"); do
		has_status "$section" "$n" || missing="$missing exit-status-$n"
	done
	none_missing "readme-has-$c-options" "$missing"
done
