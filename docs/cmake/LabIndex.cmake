# cmake -DSOURCE_DIR=<repo> -DOUTPUT=<docs/generated/labs.md> -P LabIndex.cmake
#
# Writes the "Labs" page: one entry per labs/NN_topic/ folder, linking the lab's
# README (a subpage, so it sits under this page in the navigation tree) and the
# notes page named by lab.toml's notes_page.

cmake_minimum_required(VERSION 3.25)

include("${CMAKE_CURRENT_LIST_DIR}/LabToml.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/LabReadme.cmake")

file(GLOB lab_dirs LIST_DIRECTORIES true "${SOURCE_DIR}/labs/[0-9][0-9]_*")
list(SORT lab_dirs)

set(page "# The labs {#labs}

Every lab is a folder `labs/NN_topic/` with a README (the task), the file you edit,
the tests and an experiment. Work through them in order; `./grade check NN` checks lab NN.
Each lab links the notes page that explains its theory.

")
foreach(lab_dir IN LISTS lab_dirs)
  if(NOT IS_DIRECTORY "${lab_dir}")
    continue()
  endif()
  get_filename_component(slug "${lab_dir}" NAME)
  string(SUBSTRING "${slug}" 0 2 id)
  gradlab_read_lab_toml("${lab_dir}" lab)
  set(notes "")
  if(NOT lab_NOTES_PAGE STREQUAL "")
    set(notes " — notes: \\ref ${lab_NOTES_PAGE}")
  endif()
  if(EXISTS "${lab_dir}/README.md")
    gradlab_lab_readme_page("${lab_dir}/README.md" label title)
    string(APPEND page "- \\subpage ${label}${notes}\n")
  else()
    set(title "${lab_TITLE}")
    if(title STREQUAL "")
      set(title "${slug}")
    endif()
    string(APPEND page "- Lab ${id}: ${title} (`labs/${slug}/`, no README yet)${notes}\n")
  endif()
endforeach()

file(WRITE "${OUTPUT}" "${page}")
