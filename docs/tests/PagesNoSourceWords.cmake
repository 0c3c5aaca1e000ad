# ctest docs.pages_no_source_words:
#   cmake -DPAGES_DIR=<repo>/docs/pages -P PagesNoSourceWords.cmake
#
# The notes pages speak to the reader about the subject; they never mention the
# documents they were written from ("the seeds' variant", "the notes quote …", a
# remark about those documents' damaged encoding), which a reader cannot place.
# Fails, naming file:line, when a docs/pages/*.md line contains one of the phrases
# below. Needs no build and runs in well under a second.
#
# The phrases are kept narrow on purpose: a random-number seed is a legitimate word
# ("different seeds", "the same seed", "a seeded generator" all pass). Write a new
# phrase here only if it cannot occur in an ordinary sentence about the subject.

cmake_minimum_required(VERSION 3.25)

if(NOT IS_DIRECTORY "${PAGES_DIR}")
  message(FATAL_ERROR "PAGES_DIR='${PAGES_DIR}' is not a directory (pass -DPAGES_DIR=<repo>/docs/pages)")
endif()

# CMake regular expressions have no case-insensitive flag: [Tt] and friends instead.
set(phrases
    "[Tt]he seeds([^a-zA-Z0-9_]|$)"                 # "the seeds write …", "the seeds' variant"
    "[Ss]eeds'"                                     # "the seeds' code", "seeds' example"
    "[Tt]he notes quote"
    "[Tt]he notes'"                                 # "the notes' threshold"
    "[Ff]rom the notes[:,.;) ]"                     # "example from the notes:"
    "[Ll]ecture notes"
    "([Dd]amaged|[Bb]roken|[Gg]arbled|[Cc]orrupted|[Mm]angled) (encoding|copy)"
    "[Ee]ncoding (was|is|got) (damaged|broken|garbled|corrupted|mangled)"
    "[Rr]eached us")
list(JOIN phrases "|" pattern)

file(GLOB pages "${PAGES_DIR}/*.md")
if(NOT pages)
  message(FATAL_ERROR "no *.md in ${PAGES_DIR}")
endif()
list(SORT pages)
get_filename_component(root "${PAGES_DIR}/../.." ABSOLUTE)   # the repository: names read docs/pages/…

set(hits "")
set(n_hits 0)
foreach(page IN LISTS pages)
  file(RELATIVE_PATH name "${root}" "${page}")
  file(READ "${page}" rest)
  # Walk the lines by hand: a CMake list would split at the ';' and merge lines around
  # an unbalanced '[' (both common in the math), and lose the line numbers. A phrase
  # may be broken over two lines ("damaged" / "encoding"), so each line is also
  # matched joined with the next one; the hit is reported at the line it starts on.
  set(number 0)
  set(previous "")
  set(have_previous FALSE)
  set(done FALSE)
  while(NOT done)
    if(rest STREQUAL "")
      set(line "")
      set(done TRUE)
    else()
      string(FIND "${rest}" "\n" end)
      if(end EQUAL -1)
        set(line "${rest}")
        set(rest "")
      else()
        string(SUBSTRING "${rest}" 0 ${end} line)
        math(EXPR next "${end} + 1")
        string(SUBSTRING "${rest}" ${next} -1 rest)
      endif()
      string(STRIP "${line}" line)
    endif()
    if(have_previous)
      set(match "")
      if(previous MATCHES "${pattern}")
        set(match "${CMAKE_MATCH_0}")
      elseif(NOT line MATCHES "${pattern}" AND "${previous} ${line}" MATCHES "${pattern}")
        set(match "${CMAKE_MATCH_0}")
      endif()
      string(STRIP "${match}" match)
      if(NOT match STREQUAL "")
        math(EXPR n_hits "${n_hits} + 1")
        string(APPEND hits "\n  ${name}:${number}: \"${match}\" in: ${previous}")
      endif()
    endif()
    set(previous "${line}")
    set(have_previous TRUE)
    math(EXPR number "${number} + 1")
  endwhile()
endforeach()

list(LENGTH pages n_pages)
if(n_hits GREATER 0)
  message(FATAL_ERROR
          "${n_hits} line(s) of the notes pages mention the documents they were written "
          "from; state the content directly instead (e.g. \"a common variant …\", "
          "\"another common form writes …\"):${hits}")
endif()
message("no source-document words in the ${n_pages} notes pages")
