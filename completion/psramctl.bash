# bash completion for psramctl and psramsim. Everything offered comes from
# the programs themselves, so it follows the version installed: commands
# and options from --help, board names from the board files next to the
# binary (PREFIX/share/psramctl/boards, or cfg/boards in a build tree),
# probe serials from `psramctl --json probes`.
# Installed as PREFIX/share/bash-completion/completions/psramctl.

# The program as typed, resolved to a path.
_psramctl_exe() {
	local exe
	exe=$(type -P -- "$1" 2>/dev/null) || exe=$1
	readlink -f -- "$exe" 2>/dev/null || printf '%s\n' "$exe"
}

# Board names: real (files that declare PSRAM_BOARD) or sim (sim-NAME.cfg).
_psramctl_boards() {
	local exe dir d f
	exe=$(_psramctl_exe "$1")
	dir=${exe%/*}
	for d in "$dir/../share/psramctl/boards" "$dir/../cfg/boards"; do
		[ -d "$d" ] || continue
		for f in "$d"/*.cfg; do
			[ -e "$f" ] || continue
			f=${f##*/}
			f=${f%.cfg}
			if [ "$2" = sim ]; then
				case $f in sim-*) printf '%s\n' "${f#sim-}" ;; esac
			else
				case $f in sim-*) ;; *)
					grep -q '^set PSRAM_BOARD ' "$d/$f.cfg" 2>/dev/null &&
						printf '%s\n' "$f" ;;
				esac
			fi
		done
		return
	done
}

# The serials of the probes attached.
_psramctl_serials() {
	"$1" --json probes 2>/dev/null | sed -n 's/.*"serial":"\([^"]*\)".*/\1/p'
}

# --help text -> option names; with "arg", only those taking a value.
_psramctl_options() {
	if [ "${1:-}" = arg ]; then
		sed -nE 's/^  (-[a-zA-Z], |    )?(--[a-z0-9-]+) [[:upper:]][^ ]*.*/\2/p'
	else
		sed -nE 's/^  (-[a-zA-Z], |    )?(--[a-z0-9-]+).*/\2/p'
	fi
}

_psramctl() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local prog=${COMP_WORDS[0]} main commands takes_arg cmd="" w i
	COMPREPLY=()
	main=$("$prog" --help 2>/dev/null) || return
	commands=$(printf '%s\n' "$main" | sed -n '/^Commands:/,/^$/p' | awk 'NF && $1 != "Commands:" { print $1 }')
	takes_arg=" $(printf '%s\n' "$main" | _psramctl_options arg | tr '\n' ' ') "
	# the command word: the first word that is no option nor an
	# option's value
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		-*) [[ $takes_arg == *" $w "* ]] && ((i++)) ;;
		*) cmd=$w; break ;;
		esac
	done
	case $prev in
	--board) COMPREPLY=($(compgen -W "$(_psramctl_boards "$prog" real)" -- "$cur")); return ;;
	--sim-board) COMPREPLY=($(compgen -W "$(_psramctl_boards "$prog" sim)" -- "$cur")); return ;;
	--serial) COMPREPLY=($(compgen -W "$(_psramctl_serials "$prog")" -- "$cur")); return ;;
	--interface)
		COMPREPLY=($(compgen -W "stlink stlink-dap cmsis-dap jlink ftdi/" -- "$cur") $(compgen -f -X '!*.cfg' -- "$cur"))
		return ;;
	--sim-chip) COMPREPLY=($(compgen -W "esp-psram64h ly68l6400 aps6404l ips6404l w25q64 absent" -- "$cur")); return ;;
	--mode) COMPREPLY=($(compgen -W "qpi spi" -- "$cur")); return ;;
	--openocd | --stub | --junit | --plot | --batch-dir | --csv)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	esac
	if [[ $cur == -* ]]; then
		local opts
		opts=$(printf '%s\n' "$main" | _psramctl_options)
		[ -n "$cmd" ] && opts="$opts $("$prog" help "$cmd" 2>/dev/null | _psramctl_options)"
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	elif [ -z "$cmd" ]; then
		COMPREPLY=($(compgen -W "$commands" -- "$cur"))
	elif [ "$cmd" = help ]; then
		COMPREPLY=($(compgen -W "$commands" -- "$cur"))
	else
		COMPREPLY=($(compgen -f -- "$cur"))
	fi
}

_psramsim() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local prog=${COMP_WORDS[0]}
	COMPREPLY=()
	case $prev in
	--board) COMPREPLY=($(compgen -W "$("$prog" --list-boards 2>/dev/null | awk '{ print $1 }')" -- "$cur")); return ;;
	--chip) COMPREPLY=($(compgen -W "esp-psram64h ly68l6400 aps6404l ips6404l w25q64 absent" -- "$cur")); return ;;
	--flash-image | --trace) COMPREPLY=($(compgen -f -- "$cur")); return ;;
	esac
	COMPREPLY=($(compgen -W "$("$prog" --help 2>/dev/null | _psramctl_options)" -- "$cur"))
}

complete -F _psramctl psramctl
complete -F _psramsim psramsim
