#!/bin/sh
# Every C file of the project is formatted as .clang-format says (CI treats a difference as a failure).
set -u
SRC=${1:?usage: format.sh SOURCE_DIR}
cd "$SRC" || exit 1
command -v clang-format >/dev/null 2>&1 || { echo "SKIP: clang-format is not installed"; exit 77; }
git rev-parse --git-dir >/dev/null 2>&1 || { echo "SKIP: not a git checkout"; exit 77; }
files=$(git ls-files '*.c' '*.h')
[ -n "$files" ] || { echo "no C files found"; exit 1; }
# One clang-format for every file (hundreds of starts cost a minute on a loaded box); file by file
# only to name the ones that differ.
# shellcheck disable=SC2086
if clang-format --dry-run --Werror $files >/dev/null 2>&1; then
	echo "format: $(echo "$files" | wc -w) files checked, 0 not formatted"
	exit 0
fi
bad=0
for f in $files; do
	if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
		echo "not formatted: $f (run: clang-format -i $f)"
		bad=$((bad + 1))
	fi
done
echo "format: $(echo "$files" | wc -w) files checked, $bad not formatted"
[ "$bad" -eq 0 ]
