# A directory of text files, walked in sorted order; ids are the paths.
set -e
mkdir -p corpus/sub
printf 'The same short text, twice over, in two files of the corpus.\n' > corpus/b.txt
printf 'The same short text, twice over, in two files of the corpus.\n' > corpus/sub/a.txt
printf 'Something else entirely, with other words in it.\n' > corpus/a.txt
$CALQUE dedup -q --format text corpus
$CALQUE dedup -q --emit unique corpus
