#!/bin/bash
# The repository explains itself: no file refers to a document outside it,
# and every "docs/FILE.md §N" a comment or document cites names a file of
# docs/ and a section of it that exists ("## N. …", "### N.M …", or item M
# of the numbered list in section N). No target is needed.
. "$(dirname "$0")/lib.sh"

cd "$TOP" || exit 1
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	mapfile -t files < <(git ls-files | grep -v '^docs/bench/')
else
	mapfile -t files < <(find . -type f ! -path './build/*' ! -path './.git/*' ! -path './docs/bench/*' | sed 's|^\./||')
fi
step files-listed test "${#files[@]}" -gt 0 || exit 1

# Documents that live outside the repository, by the names they had.
me=tests/e2e/$(basename "$0")
outside=$(grep -nE '\.\./shared|shared/docs|design\.md|hardware-facts|openocd-facts' \
	-- "${files[@]}" 2>/dev/null | grep -v "^$me:" | head -n 5)
if [ -z "$outside" ]; then pass no-outside-documents; else
	fail no-outside-documents "$(tr '\n' ' ' <<<"$outside")"
fi

# section_exists DOC N[.M]
section_exists() {
	local doc=$1 sec=$2 top item
	case "$sec" in
	*.*)
		grep -qE "^### ${sec//./\\.} " "$doc" && return 0
		top=${sec%%.*}
		item=${sec#*.}
		awk -v top="$top" -v item="$item" '
			/^## / { on = ($2 == top ".") }
			on && $1 == item "." { found = 1 }
			END { exit !found }' "$doc"
		;;
	*) grep -qE "^## $sec\. " "$doc" ;;
	esac
}

bad=""
count=0
while read -r doc sec; do
	count=$((count + 1))
	if [ ! -f "$doc" ]; then
		bad="$bad $doc(missing)"
	elif [ -n "$sec" ] && ! section_exists "$doc" "$sec"; then
		bad="$bad $doc§$sec"
	fi
done < <(grep -ohE 'docs/[a-z0-9.-]+\.md( §[0-9]+(\.[0-9]+)?)?' -- "${files[@]}" 2>/dev/null |
	grep -v '^docs/FILE\.md' | sed 's/ §/ /' | sort -u)
check citations-found [ "$count" -gt 20 ]
if [ -z "$bad" ]; then pass citations-resolve; else fail citations-resolve "no such file or section:$bad"; fi
