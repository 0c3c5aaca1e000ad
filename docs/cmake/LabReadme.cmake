# gradlab_lab_readme_page(<readme> <out_label> <out_title>): the Doxygen page name and
# title of a lab's README.md. Doxygen names a Markdown page after its first heading's
# {#label} if there is one, otherwise "md_" + the path from the repository root with
# every '/' and '.' replaced by '_' (STRIP_FROM_PATH is the repository root); the
# title is the first heading's text.
function(gradlab_lab_readme_page readme out_label out_title)
  file(RELATIVE_PATH rel "${SOURCE_DIR}" "${readme}")       # labs/01_backprop/README.md
  string(REGEX REPLACE "\\.md$" "" rel "${rel}")
  string(REGEX REPLACE "[/.\\-]" "_" label "md_${rel}")
  set(title "")
  file(STRINGS "${readme}" lines ENCODING UTF-8 LIMIT_COUNT 20)
  foreach(line IN LISTS lines)
    if(line MATCHES "^#[ \t]+(.*)$")
      set(title "${CMAKE_MATCH_1}")
      if(title MATCHES "^(.*[^ \t])[ \t]*\\{#([A-Za-z0-9_]+)\\}[ \t]*$")
        set(title "${CMAKE_MATCH_1}")
        set(label "${CMAKE_MATCH_2}")
      endif()
      break()
    endif()
  endforeach()
  set(${out_label} "${label}" PARENT_SCOPE)
  set(${out_title} "${title}" PARENT_SCOPE)
endfunction()
